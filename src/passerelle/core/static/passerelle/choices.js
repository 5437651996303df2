"use strict";
// Multi-choice lists (several countries): select2 on the page's rows, and on the rows an
// inline adds later ("Add another commitment"), which unfold's own script leaves plain.
{
  const $ = django.jQuery;
  const start = (root) => $(root).find("select.passerelle-multiple").not("[name*=__prefix__]").select2();
  $(() => start(document));
  document.addEventListener("formset:added", (event) => start(event.target));
}
