// The planner's map: Leaflet over the offline country outlines (maps.js), or over tiles if a
// server is set; candidates are numbered discs sized by their members.
// Its points come from the planner's map endpoint for the part of the world in view, summed by
// cells sized by the zoom (a plan of fifty thousand candidates is never sent whole), and are
// fetched again, a moment after the map stops moving.
(function () {
  "use strict";
  var element = document.getElementById("planner-map");
  if (!element || !window.L) { return; }
  var data = JSON.parse(document.getElementById("planner-map-data").textContent);
  var map = L.map(element, { worldCopyJump: true, zoomSnap: 0.25 });
  var maps = window.ChapterhouseMaps;
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 12 }).addTo(map);
  } else if (maps && element.dataset.basemap) {
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth · Leaflet");
    maps.basemap(map, element.dataset.basemap);
  }
  if (data.bounds) {
    map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]],
                  { padding: [20, 20], maxZoom: 6 });
  } else {
    map.setView([30, 0], 2);
  }
  var layer = L.layerGroup().addTo(map);
  // Names come from members' data: pass them as text, never as HTML.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function size(n) { return Math.min(3 + Math.sqrt(n), 14); }
  function draw(points) {
    layer.clearLayers();
    (points.members || []).forEach(function (p) {  // [lat, lon, cities, members]
      L.circleMarker([p[0], p[1]], {
        radius: size(p[3]), color: "#6b7280", weight: 1, fillOpacity: 0.35,
      }).bindTooltip(text(p[3] + " " + data.labels.unaffiliated)).addTo(layer);
    });
    (points.chapters || []).forEach(function (c) {  // [lat, lon, name]
      L.circleMarker([c[0], c[1]], {
        radius: 7, color: "#1b6b36", weight: 2, fillColor: "#1b6b36", fillOpacity: 0.9,
      }).bindTooltip(text(c[2])).addTo(layer);
    });
    (points.chapter_cells || []).forEach(function (c) {  // [lat, lon, chapters, chapters]
      L.circleMarker([c[0], c[1]], {
        radius: size(c[2]), color: "#1b6b36", weight: 2, fillColor: "#1b6b36", fillOpacity: 0.7,
      }).bindTooltip(text(c[2] + " " + data.labels.chapters)).addTo(layer);
    });
    (points.candidates || []).forEach(function (c) {  // [lat, lon, members, number, place]
      var label = "#" + c[3] + " " + c[4] + ": " + c[2] + " " + data.labels.members;
      L.circle([c[0], c[1]], {
        radius: data.radius_m, color: "#1f5c99", weight: 1, fillOpacity: 0.08,
        interactive: false,
      }).addTo(layer);
      if (maps) {  // a number readable at any zoom, the disc sized by the members
        maps.numbered([c[0], c[1]], c[3], c[2], "open", label).addTo(layer);
      }
    });
    (points.candidate_cells || []).forEach(function (c) {  // [lat, lon, candidates, members]
      L.circleMarker([c[0], c[1]], {
        radius: size(c[2]), color: "#1f5c99", weight: 2, fillOpacity: 0.3,
      }).bindTooltip(text(c[2] + " " + data.labels.candidates + ", " + c[3] + " " +
                          data.labels.members)).addTo(layer);
    });
  }
  var asked = 0;
  function load() {
    var box = map.getBounds();
    var clamp = function (v, low, high) { return Math.max(low, Math.min(high, v)); };
    var bbox = [clamp(box.getSouth(), -90, 90), clamp(box.getWest(), -180, 180),
                clamp(box.getNorth(), -90, 90), clamp(box.getEast(), -180, 180)];
    if (box.getEast() - box.getWest() >= 360) { bbox[1] = -180; bbox[3] = 180; }
    var query = "?bbox=" + bbox.map(function (v) { return v.toFixed(4); }).join(",") +
      "&zoom=" + Math.round(map.getZoom()) + (data.run ? "&run=" + data.run : "");
    var mine = ++asked;
    fetch(data.url + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (points) { if (points && mine === asked) { draw(points); } });
  }
  var timer = null;
  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });
  load();
})();
