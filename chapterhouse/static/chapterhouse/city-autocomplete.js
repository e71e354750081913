// City autocomplete for inputs with data-city-search="<json url>": suggestions go into the
// input's <datalist>; choosing one sets the hidden place field. Without this script the form
// still works: the server looks the typed name up and asks which city when it is ambiguous.
(function () {
  "use strict";
  document.querySelectorAll("input[data-city-search]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var hidden = document.getElementById(input.dataset.placeField);
    var url = input.dataset.citySearch;
    var byLabel = {};
    var timer = null;
    var latest = 0;

    function choose() {
      if (!hidden) { return; }
      var id = byLabel[input.value];
      hidden.value = id === undefined ? "" : id;  // ambiguous or edited text: server decides
    }

    function suggest() {
      var query = input.value.trim();
      if (query.length < 2 && /^[\x00-\x7f]*$/.test(query)) { return; }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(query), {headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ticket !== latest) { return; }  // an older answer arriving late
          var seen = {};
          list.replaceChildren();
          data.results.forEach(function (city) {
            // Two cities with one label (many Springfields) cannot be told apart here.
            byLabel[city.label] = seen[city.label] ? undefined : city.id;
            seen[city.label] = true;
            var option = document.createElement("option");
            option.value = city.label;
            option.textContent = city.population.toLocaleString();
            list.appendChild(option);
          });
          choose();
        })
        .catch(function () { /* offline or server error: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      choose();
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("change", choose);
  });
})();
