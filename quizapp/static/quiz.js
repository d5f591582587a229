// quizapp quiz pages: a countdown for timed tests and up/down buttons for ordering.
// Everything works without this script; it only makes the pages easier to use.
(function () {
  "use strict";

  // Warnings before the end, announced to screen readers: seconds left → message.
  var WARNINGS = [
    [300, "Five minutes left."],
    [60, "One minute left: when the time is up, the answers on the page are saved and the quiz ends."]
  ];

  function startCountdown(el) {
    var deadline = Date.parse(el.getAttribute("data-deadline"));
    if (isNaN(deadline)) { return; }
    var box = el.closest(".countdown-box");
    var warning = box ? box.querySelector(".countdown-warning") : null;
    var warned = Infinity;  // a page opened with little time left warns at once
    var timer = null;
    function finish() {
      // Save what is on the page, then finish: the answer form if there is one.
      var form = document.getElementById("answer-form") || document.getElementById("time-up-form");
      if (!form) { window.location.reload(); return; }
      var go = document.createElement("input");
      go.type = "hidden"; go.name = "go"; go.value = "timeup";
      form.appendChild(go);
      form.submit();
    }
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      WARNINGS.forEach(function (pair) {
        if (left <= pair[0] && warned > pair[0] && warning) {
          warning.textContent = pair[1];
          if (box) { box.classList.add("running-out"); }
        }
      });
      warned = Math.min(warned, left);
      if (left === 0) {
        clearInterval(timer);
        el.textContent = "time is up";
        finish();
      }
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  function renumber(list) {
    var rows = list.querySelectorAll("li");
    rows.forEach(function (row, index) {
      row.querySelector("select").value = String(index + 1);
    });
  }

  function sortByPositions(list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("li"));
    rows.sort(function (a, b) {
      return Number(a.querySelector("select").value) - Number(b.querySelector("select").value);
    });
    rows.forEach(function (row) { list.appendChild(row); });
  }

  function enableOrdering(list) {
    sortByPositions(list);
    renumber(list);
    list.querySelectorAll("button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var row = button.closest("li");
        if (button.classList.contains("move-up") && row.previousElementSibling) {
          list.insertBefore(row, row.previousElementSibling);
        } else if (button.classList.contains("move-down") && row.nextElementSibling) {
          list.insertBefore(row.nextElementSibling, row);
        }
        renumber(list);
        button.focus();
      });
    });
    list.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        // Swap with the item that held the chosen position, so positions stay unique.
        var wanted = select.value;
        var rows = Array.prototype.slice.call(list.querySelectorAll("li"));
        var from = rows.indexOf(select.closest("li"));
        var to = Number(wanted) - 1;
        var moving = rows[from];
        rows.splice(from, 1);
        rows.splice(to, 0, moving);
        rows.forEach(function (row) { list.appendChild(row); });
        renumber(list);
        select.focus();
      });
    });
  }

  document.querySelectorAll(".countdown[data-deadline]").forEach(startCountdown);
  document.querySelectorAll("ol.ordering").forEach(enableOrdering);
})();
