// The co-author picker of a member's suggestion form (suggestions/forms.py, CoAuthorPicker): a
// search over the branch's members by name, pinyin or initials, showing only the members found
// and those already chosen, in place of a wall of hundreds of checkboxes. Without this script
// the form keeps every checkbox, as it always had.
(function () {
  "use strict";
  var box = document.querySelector(".picker-search-box");
  var list = document.getElementById("div_id_co_authors");
  if (!box || !list) {
    return;
  }
  var search = box.querySelector(".picker-search");
  var status = box.querySelector(".picker-status");
  var options = Array.prototype.map.call(list.querySelectorAll("input[data-search]"), function (input) {
    // The key is "赵丽 zhaoli zl": the name, its pinyin and its initials (members/text.py).
    return { input: input, row: input.closest(".form-check"), parts: input.dataset.search.split(" ") };
  });
  var SHOWN_AT_MOST = 20;

  function update() {
    var query = search.value.replace(/\s+/g, "").toLowerCase();
    var found = 0;
    var shown = 0;
    options.forEach(function (option) {
      var matches = query !== "" && option.parts.some(function (part) {
        return part.indexOf(query) !== -1;
      });
      if (matches) {
        found += 1;
      }
      var show = option.input.checked || (matches && shown < SHOWN_AT_MOST);
      if (show && !option.input.checked) {
        shown += 1;
      }
      option.row.hidden = !show;
    });
    if (query === "") {
      status.textContent = box.dataset.empty;
    } else if (found === 0) {
      status.textContent = box.dataset.none;
    } else {
      status.textContent = box.dataset.found.replace("%s", String(found));
    }
  }

  box.hidden = false;
  search.addEventListener("input", update);
  list.addEventListener("change", update);
  update();
})();
