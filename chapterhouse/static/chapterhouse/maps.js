// Maps that read without configuration (docs/maps.md): Leaflet (XStatic-Leaflet) over an
// offline basemap of country outlines (Natural Earth 1:110m, built by deploy/build_basemap.py),
// drawn as SVG. No tile, no request outside this site: the outlines are a static file and the
// points come from the page's own JSON endpoint (chapterhouse/maps/views.py), which sends only
// what the reader may see. Each map fills a text alternative (tables) for screen readers.
//
// <div class="map-block" data-map-src="/maps/dashboard.json" data-basemap="/static/...json">
//   <div class="map" data-map-canvas></div> ... <details data-map-text> ... </details></div>
//
// The planner's map (planner-map.js) uses ChapterhouseMaps.basemap and .numbered too.
(function () {
  "use strict";
  if (!window.L) { return; }

  var STATUS = { qualifying: "#1b6b36", lapsed: "#b45309", forming: "#6d3fa8",
                 recomputing: "#6b7280" };
  var WORLD = [[-56, -168], [76, 180]];  // the inhabited world, for a first view
  var basemaps = {};

  function text(value) {  // names come from members' data: always text, never HTML
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function basemapData(url) {
    if (!basemaps[url]) {
      basemaps[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return basemaps[url];
  }

  // The country outlines in a pane of their own, under every marker (Leaflet's overlays are at
  // z-index 400, tiles at 200). A Promise of the layer (null if the file could not be read).
  function basemap(map, url) {
    var pane = map.getPane("basemap") || map.createPane("basemap");
    pane.style.zIndex = 250;
    pane.style.pointerEvents = "none";
    map.getContainer().classList.add("has-basemap");
    return basemapData(url).then(function (geo) {
      if (!geo) { return null; }
      return L.geoJSON(geo, {
        pane: "basemap", interactive: false,
        style: { color: "#9a938a", weight: 0.7, fillColor: "#f7f4ee", fillOpacity: 1 },
      }).addTo(map);
    });
  }

  // A numbered disc, `size` people across: readable at any zoom (its size is in pixels).
  function numbered(latlng, number, size, className, label) {
    var diameter = Math.round(Math.min(20 + Math.sqrt(size) * 2.2, 46));
    var marker = L.marker(latlng, {
      icon: L.divIcon({ className: "map-number " + className, html: text(String(number)),
                        iconSize: [diameter, diameter] }),
      keyboard: false, riseOnHover: true, number: number,
    });
    return marker.bindTooltip(text(label), { direction: "top", offset: [0, -diameter / 2] });
  }

  // Candidates whose discs would overlap (at world zoom on a phone) are shown as one pill
  // naming their numbers, "4·7·9" or "4·7 +3"; a click zooms in until they stand apart
  // (Leaflet.markercluster, vendored in static/vendor). Without it, they are drawn one by one.
  function numbersOf(cluster) {
    return cluster.getAllChildMarkers().map(function (m) { return m.options.number; })
      .sort(function (a, b) { return a - b; });
  }

  function grouped(words) {
    if (!L.markerClusterGroup) { return null; }
    return L.markerClusterGroup({
      maxClusterRadius: 34, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var numbers = numbersOf(cluster);
        var label = numbers.length <= 3 ? numbers.join("·")
          : numbers.slice(0, 2).join("·") + " +" + (numbers.length - 2);
        var width = Math.max(30, 10 + label.length * 7);
        return L.divIcon({ className: "map-number map-group", html: text(label),
                           iconSize: [width, 28] });
      },
    }).on("clustermouseover", function (event) {
      var said = (words.wordGrouped || "").replace("{numbers}", numbersOf(event.layer).join(", "));
      event.layer.bindTooltip(text(said), { direction: "top" }).openTooltip();
    });
  }

  function newMap(canvas) {
    var map = L.map(canvas, {
      zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 0, maxZoom: 8, worldCopyJump: false,
      maxBounds: [[-85, -220], [85, 220]], maxBoundsViscosity: 0.7, keyboard: true,
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth · Leaflet");
    return map;
  }

  function cell(row, value, link) {
    var td = document.createElement("td");
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = value;
      td.appendChild(a);
    } else {
      td.textContent = value;
    }
    row.appendChild(td);
  }

  // One table of the text alternative: `heads` are the column names, each row its values.
  function table(caption, heads, rows) {
    var t = document.createElement("table");
    var c = document.createElement("caption");
    c.textContent = caption;
    t.appendChild(c);
    var head = document.createElement("tr");
    heads.forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      head.appendChild(th);
    });
    t.createTHead().appendChild(head);
    var body = t.createTBody();
    rows.forEach(function (values) {
      var tr = document.createElement("tr");
      values.forEach(function (v) {
        if (v && typeof v === "object") { cell(tr, v.text, v.href); } else { cell(tr, v); }
      });
      body.appendChild(tr);
    });
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(t);
    return wrap;
  }

  function draw(block, map, data) {
    var words = block.dataset;
    var points = [];
    var chapters = L.layerGroup().addTo(map);
    var others = L.layerGroup().addTo(map);
    var members = data.members;
    if (members) {
      members.cities.forEach(function (c) {
        L.circleMarker([c.lat, c.lon], {
          radius: Math.min(3 + Math.sqrt(c.n) * 0.9, 16), color: "#57534e", weight: 1,
          fillColor: "#78716c", fillOpacity: 0.35,
        }).bindTooltip(text(c.label)).addTo(others);
        points.push([c.lat, c.lon]);
      });
    }
    data.chapters.forEach(function (c) {
      var colour = STATUS[c.status] || STATUS.recomputing;
      if (c.radius_km) {
        L.circle([c.lat, c.lon], { radius: c.radius_km * 1000, color: colour, weight: 1.5,
                                   fillColor: colour, fillOpacity: 0.08, interactive: false })
          .addTo(chapters);
        var area = L.latLng(c.lat, c.lon).toBounds(c.radius_km * 2000);
        points.push(area.getNorthWest(), area.getSouthEast());
      }
      L.circleMarker([c.lat, c.lon], {
        radius: 7, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1,
        className: "map-chapter map-" + c.status,
      }).bindTooltip(text(c.label)).on("click", function () { window.location.href = c.url; })
        .addTo(chapters);
      points.push([c.lat, c.lon]);
    });
    var candidates = data.candidates;
    if (candidates) {
      var group = grouped(words) || others;
      candidates.items.forEach(function (c) {
        numbered([c.lat, c.lon], c.number, c.n, c.carried ? "carried" : "open", c.label)
          .addTo(group);
        points.push([c.lat, c.lon]);
      });
      if (group !== others) { map.addLayer(group); }
    }
    if (data.you) {
      // A ring wide enough to show round a chapter's dot in the same city.
      L.circleMarker([data.you.lat, data.you.lon], {
        radius: 12, color: "#111827", weight: 2.5, fillColor: "#facc15", fillOpacity: 0.55,
      }).bindTooltip(text(data.you.label), { permanent: false }).addTo(others);
      points.push([data.you.lat, data.you.lon]);
    }
    chapters.eachLayer(function (layer) { if (layer.bringToFront) { layer.bringToFront(); } });

    if (data.view === "world" || !points.length) {
      map.fitBounds(WORLD);
    } else {
      map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 6 });
    }

    // The legend says only what is drawn; the rule of the counts is said beside the map.
    block.querySelectorAll("[data-legend]").forEach(function (item) {
      var layer = item.getAttribute("data-legend");
      var shown = layer === "chapters" ? data.chapters.length > 0
        : layer === "members" ? !!(members && members.cities.length)
        : layer === "candidates" ? !!(candidates && candidates.items.length)
        : layer === "you" ? !!data.you
        : layer === "area" ? data.chapters.some(function (c) { return c.radius_km; })
        : data.chapters.some(function (c) { return c.status === layer; });
      item.hidden = !shown;
    });
    var rule = block.querySelector("[data-map-rule]");
    if (rule && members) {
      rule.textContent = members.rule;
      rule.hidden = false;
    }

    var alt = block.querySelector("[data-map-list]");
    if (!alt) { return; }
    alt.textContent = "";
    if (data.you) {
      var p = document.createElement("p");
      p.textContent = data.you.label;
      alt.appendChild(p);
    }
    if (data.chapters.length) {
      alt.appendChild(table(words.wordChapters, [words.wordChapter, words.wordPlace,
                                                  words.wordVerdict],
        data.chapters.map(function (c) {
          return [{ text: c.name, href: c.url }, c.place, c.status_word || c.label];
        })));
    }
    if (candidates && candidates.items.length) {
      alt.appendChild(table(words.wordCandidates, ["#", words.wordNear, words.wordMembers],
        candidates.items.map(function (c) { return [c.number, c.name, c.n]; })));
    }
    if (members && members.cities.length) {
      alt.appendChild(table(words.wordCities, [words.wordCity, words.wordMembers],
        members.cities.map(function (c) { return [c.name, c.n]; })));
    }
  }

  function start(block) {
    var canvas = block.querySelector("[data-map-canvas]");
    if (!canvas) { return; }
    var map = newMap(canvas);
    map.fitBounds(WORLD);
    basemap(map, block.dataset.basemap);
    fetch(block.dataset.mapSrc, { credentials: "same-origin",
                                  headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { throw new Error("no map data"); }
        draw(block, map, data);
        block.classList.add("map-ready");
      })
      .catch(function () {
        var status = block.querySelector("[data-map-status]");
        if (status) { status.textContent = block.dataset.wordFailed; status.hidden = false; }
      });
  }

  window.ChapterhouseMaps = { basemap: basemap, numbered: numbered, text: text };
  document.querySelectorAll("[data-map-src]").forEach(start);
})();
