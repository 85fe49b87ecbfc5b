// The console's only script: sign-in links, live SLA countdowns, the print button.
// Pages work without it; it adds no content of its own.
(function () {
  "use strict";
  var zh = document.documentElement.lang === "zh";

  // A sign-in link from `voc token create --link` carries the token after '#', which the
  // browser never sends to a server or writes to a log: post it as the form would.
  var form = document.getElementById("sign-in");
  if (form && location.hash.indexOf("#token=") === 0) {
    form.elements.token.value = decodeURIComponent(location.hash.slice(7));
    history.replaceState(null, "", location.pathname + location.search);
    form.submit();
  }

  function span(seconds) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), rest = minutes % 60;
    if (days > 0) return zh ? days + "天" + hours + "小时" : days + "d " + hours + "h";
    if (hours > 0) return zh ? hours + "小时" + rest + "分" : hours + "h " + rest + "m";
    return zh ? rest + "分" : rest + "m";
  }

  function tick() {
    var now = Date.now() / 1000;
    var clocks = document.querySelectorAll(".countdown[data-due]");
    for (var i = 0; i < clocks.length; i++) {
      var left = Number(clocks[i].getAttribute("data-due")) - now;
      clocks[i].textContent = left >= 0 ? (zh ? "剩余 " : "due in ") + span(left) : (zh ? "已超时 " : "overdue by ") + span(left);
      clocks[i].classList.toggle("late", left < 0);
    }
  }
  if (document.querySelector(".countdown[data-due]")) setInterval(tick, 30000);

  var printButtons = document.querySelectorAll("button.print");
  for (var j = 0; j < printButtons.length; j++) printButtons[j].addEventListener("click", function () { window.print(); });
})();
