// The planner's map: Leaflet with markers and circles, and tiles only if a server is set.
(function () {
  "use strict";
  var element = document.getElementById("planner-map");
  if (!element || !window.L) { return; }
  var data = JSON.parse(document.getElementById("planner-map-data").textContent);
  var map = L.map(element, { worldCopyJump: true }).setView([30, 0], 2);
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 12 }).addTo(map);
  }
  var bounds = [];
  // Names come from members' data: pass them as text, never as HTML.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  data.members.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], {
      radius: Math.min(2 + Math.sqrt(p.n), 10), color: "#6b7280", weight: 1, fillOpacity: 0.35,
    }).bindTooltip(text(p.n + " " + data.labels.unaffiliated)).addTo(map);
  });
  data.chapters.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], {
      radius: 7, color: "#1b6b36", weight: 2, fillColor: "#1b6b36", fillOpacity: 0.9,
    }).bindTooltip(text(c.name)).addTo(map);
  });
  data.candidates.forEach(function (c) {
    L.circle([c.lat, c.lon], {
      radius: data.radius_m, color: "#1f5c99", weight: 2, fillOpacity: 0.15,
    }).bindTooltip(text("#" + c.i + " " + c.place + ": " + c.n + " " + data.labels.members))
      .addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 6 }); }
})();
