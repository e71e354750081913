// Long rosters (New York has 300): narrow the checkboxes by name. Without JS, all show.
(function () {
  "use strict";
  var box = document.getElementById("name-filter");
  if (!box) { return; }
  box.parentElement.hidden = false;
  box.addEventListener("input", function () {
    var needle = box.value.trim().toLocaleLowerCase();
    document.querySelectorAll("fieldset.attendees li").forEach(function (item) {
      item.hidden = needle !== "" && item.textContent.toLocaleLowerCase().indexOf(needle) < 0;
    });
  });
})();
