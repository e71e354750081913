// The poll form asks for a region only for a regional poll and a chapter only for a chapter
// poll: hide the other row as the level changes. Without JS both show, and the server checks
// only the one the chosen level uses.
(function () {
  "use strict";
  var level = document.getElementById("id_level");
  if (!level) { return; }
  var rows = {region: "id_region", chapter: "id_chapter"};
  function update() {
    Object.keys(rows).forEach(function (name) {
      var field = document.getElementById(rows[name]);
      if (field && field.closest("p")) { field.closest("p").hidden = level.value !== name; }
    });
  }
  level.addEventListener("change", update);
  update();
})();
