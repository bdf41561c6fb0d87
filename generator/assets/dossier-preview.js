/* dossier: previews of entity links and citation marks, on hover, focus and tap (served from the site itself).
 *
 * A citation mark ([1]) shows the page's own numbered item for it (#cite-1: quote,
 * translation, source, the original). A link to an entity's page shows what the
 * dossier's previews.json (written at build time beside its pages) says of it.
 * Without this script every link still leads where it says. Keyboard: focus opens,
 * Escape closes. Touch: the first tap opens, a second tap on the link follows it.
 * Works with Material's instant navigation (the listeners sit on the document).
 * Why not Material's own: its tooltips show a title's plain text only, its footnote
 * tooltips need the link to point at the note (ours point at the passage), and its
 * instant previews fetch the linked page; here the data comes from the build.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__dossierPreview) return;
  window.__dossierPreview = true;
  var root = new URL("../../", script.src);          /* the script is at assets/dossier/ */
  var previews = {};                                  /* dossier id -> promise of its previews */
  var loaded = {};                                    /* dossier id -> its previews, once read */
  var dossiers = null, listing = null;                /* the ids of the dossiers with previews, once read */
  var box = null, owner = null, wanted = null, openTimer = 0, closeTimer = 0, lastPointer = "mouse";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function popup() {
    if (!box) {
      box = element("div", "dossier-preview");
      box.id = "dossier-preview";
      box.setAttribute("role", "tooltip");
      box.hidden = true;
      box.addEventListener("mouseenter", function () { clearTimeout(closeTimer); });
      box.addEventListener("mouseleave", function () { later(close, 250); });
      box.addEventListener("focusout", function (event) {
        if (!box.contains(event.relatedTarget) && event.relatedTarget !== owner) later(close, 0);
      });
    }
    if (!box.isConnected) document.body.appendChild(box);
    return box;
  }

  function later(action, delay) {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(action, delay);
  }

  /* [dossier id, page address from the site's root] of an address of this site, or null. */
  function sitePath(address) {
    var url, path;
    try {
      url = new URL(address, document.baseURI);
      path = decodeURI(url.pathname.slice(root.pathname.length));
    } catch (error) { return null; }                  /* not an address, or a malformed %-escape */
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    return path.indexOf("/") > 0 ? [path.split("/")[0], path] : null;
  }

  /* The dossiers that have previews (assets/dossier/previews.json): no request for any other folder. */
  function list() {
    if (!listing) {
      listing = fetch(new URL("assets/dossier/previews.json", root).href)
        .then(function (response) { return response.ok ? response.json() : { dossiers: [] }; })
        .catch(function () { return { dossiers: [] }; })
        .then(function (data) { dossiers = data.dossiers || []; return dossiers; });
    }
    return listing;
  }

  function target(link) {                      /* link.href of an SVG link (the network) is not a string */
    var found = sitePath(link.getAttribute("href") || "");
    return found && dossiers && dossiers.indexOf(found[0]) >= 0 ? found : null;
  }

  function load(dossier) {
    if (!previews[dossier]) {
      previews[dossier] = fetch(new URL(dossier + "/previews.json", root).href)
        .then(function (response) { return response.ok ? response.json() : { entities: {} }; })
        .catch(function () { return { entities: {} }; })
        .then(function (data) { loaded[dossier] = data; return data; });
    }
    return previews[dossier];
  }

  /* Whether a tap on the link can show a preview at once (else the tap follows the link). */
  function ready(link) {
    if (link.classList.contains("dossier-cite")) return !!document.getElementById("cite-" + link.getAttribute("data-cite"));
    var found = target(link), data = found && loaded[found[0]];
    return !!(data && data.entities && data.entities[found[1]]);
  }

  function preload() {                         /* the previews of the dossier shown, read ahead */
    list().then(function () {
      var here = sitePath(window.location.href);
      if (here && dossiers.indexOf(here[0]) >= 0) load(here[0]);
    });
  }

  function citationContent(link) {
    var item = document.getElementById("cite-" + link.getAttribute("data-cite"));
    if (!item) return null;
    var content = element("div", "dossier-preview-cite");
    Array.prototype.forEach.call(item.childNodes, function (child) { content.appendChild(child.cloneNode(true)); });
    var grade = link.getAttribute("data-credibility");  /* this citation's own grade of the information */
    if (grade) content.appendChild(element("p", "dossier-preview-line", grade));
    return Promise.resolve(content);
  }

  function entityContent(link) {              /* the list of dossiers first: a link focused before it is read waits */
    return list().then(function () {
      var found = target(link);
      return found ? load(found[0]).then(function (data) { return entryContent(data, found[1]); }) : null;
    });
  }

  function entryContent(data, address) {      /* the preview of the page *address*, or null */
    var entry = data.entities && data.entities[address];
    if (!entry) return null;
    var content = element("div", "dossier-preview-entity");
    content.appendChild(element("p", "dossier-preview-kind", entry.kind));
    content.appendChild(element("p", "dossier-preview-name", entry.name));
    (entry.lines || []).forEach(function (line) { content.appendChild(element("p", "dossier-preview-line", line)); });
    if (entry.text) content.appendChild(element("p", "dossier-preview-text", entry.text));
    return content;
  }

  function previewable(node) {
    var link = node && node.closest ? node.closest("a[href]") : null;
    if (!link || (box && box.contains(link)) || !link.closest(".md-content")) return null;
    if (link.classList.contains("headerlink") || (link.getAttribute("href") || "#").charAt(0) === "#") return null;
    return link;
  }

  function open(link) {
    clearTimeout(closeTimer);
    if (owner === link && box && !box.hidden) return;
    var pending = link.classList.contains("dossier-cite") ? citationContent(link) : entityContent(link);
    if (!pending) return;
    wanted = link;
    pending.then(function (content) {
      if (!content || !link.isConnected || wanted !== link) return;  /* the latest link asked for wins */
      close();
      var shown = popup();
      shown.replaceChildren(content);
      shown.hidden = false;
      owner = link;
      link.setAttribute("aria-describedby", shown.id);
      place(link, shown);
    });
  }

  function place(link, shown) {
    var rect = link.getBoundingClientRect(), width = document.documentElement.clientWidth;
    var boxWidth = shown.offsetWidth, height = shown.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, width - boxWidth - 8));
    var below = rect.bottom + 6, above = rect.top - height - 6;
    var top = below + height > window.innerHeight && above > 0 ? above : below;
    shown.style.left = left + window.scrollX + "px";
    shown.style.top = top + window.scrollY + "px";
  }

  function close() {
    clearTimeout(openTimer);
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
    if (box) box.hidden = true;
  }

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (event) {
    var link = previewable(event.target);
    if (!link || lastPointer === "touch") return;
    clearTimeout(openTimer);
    openTimer = setTimeout(function () { open(link); }, 120);
  });
  document.addEventListener("mouseout", function (event) {
    var link = previewable(event.target);
    if (!link || link.contains(event.relatedTarget)) return;
    clearTimeout(openTimer);
    if (link === owner) later(close, 250);
  });
  document.addEventListener("focusin", function (event) {
    var link = previewable(event.target);
    if (link && lastPointer !== "touch") open(link);   /* a tap focuses the link too: the click decides */
  });
  document.addEventListener("focusout", function (event) {
    if (owner && event.target === owner && !(box && box.contains(event.relatedTarget))) later(close, 0);
  });
  document.addEventListener("keydown", function (event) {
    lastPointer = "keyboard";
    if (event.key === "Escape" && owner) {
      var link = owner;
      close();
      if (box && box.contains(document.activeElement)) link.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var link = previewable(event.target);
    if (link && lastPointer === "touch" && owner !== link && ready(link)) {  /* 1st tap: preview; 2nd: the link */
      event.preventDefault();
      open(link);
    } else if (box && !box.hidden && !box.contains(event.target) && link !== owner) {
      close();
    }
  });
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { close(); preload(); });  /* instant navigation: a new page */
  } else {
    preload();
  }
})();
