// The explorers of the course's website, without a kernel (site/explorers.py builds what this reads).
//
// Each <div class="resnorm-frames" data-frames="_explorers/<key>/"> loads <key>/manifest.js, which
// registers window.resnormFrames[key] = {controls, frames, text}; this script then draws the
// controls and shows frame-<i>.png for the setting they select. Frame i's setting is
// frames[i]: for each control, the index of its value (a sorted list of indices for a multiple
// choice). A setting that is not a frame is replaced by the frame that agrees with the control the
// reader moved and differs from the wanted setting in the fewest other controls (the first such frame); those controls
// move too, and a note says so. All frames are loaded once the explorer is near the screen, so a
// change only swaps an image that is already decoded. data-response-ms holds the time from the
// reader's change to the new frame being ready to paint (the browser tests read it). A slider acts
// when the reader lets it go. The placeholder's <noscript> shows the first frame without JavaScript.
(function () {
  "use strict";

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function controlView(control, k, onChange, serial) {
    const id = (suffix) => `resnorm-frames-${serial}-${k}-${suffix}`;
    if (control.kind === "slider") {
      const input = element("input", {type: "range", min: 0, max: control.labels.length - 1, step: 1,
                                      id: id("range"), "aria-label": control.label});
      const readout = element("output", {for: input.id});
      // "change": when the reader lets go (or steps with the keyboard), not at every pixel of a drag,
      // where snapping to a precomputed setting would move the other controls back and forth
      input.addEventListener("change", () => onChange(k, Number(input.value)));
      input.addEventListener("input", () => { readout.textContent = control.labels[Number(input.value)]; });
      return {node: element("label", {class: "resnorm-control"}, [control.label, input, readout]),
              show: (token) => { input.value = token; readout.textContent = control.labels[token]; }};
    }
    if (control.kind === "select") {
      const select = element("select", {"aria-label": control.label},
        control.labels.map((label, i) => element("option", {value: i}, [label])));
      select.addEventListener("change", () => onChange(k, Number(select.value)));
      return {node: element("label", {class: "resnorm-control"}, [control.label, select]),
              show: (token) => { select.value = token; }};
    }
    if (control.kind === "checkbox") {
      const box = element("input", {type: "checkbox"});
      const on = control.values.indexOf(true);
      box.addEventListener("change", () => onChange(k, control.values.indexOf(box.checked)));
      if (control.values.length < 2) box.disabled = true;
      return {node: element("label", {class: "resnorm-control"}, [box, control.label]),
              show: (token) => { box.checked = token === on; }};
    }
    // multi: one checkbox per option
    const boxes = control.labels.map((label, i) => element("input", {type: "checkbox", value: i}));
    const chosen = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));
    boxes.forEach((box) => box.addEventListener("change", () => onChange(k, chosen())));
    const fieldset = element("fieldset", {class: "resnorm-control resnorm-multi"},
      [element("legend", {}, [control.label]),
       ...boxes.map((box, i) => element("label", {}, [box, control.labels[i]]))]);
    return {node: fieldset, show: (token) => boxes.forEach((b, i) => { b.checked = token.includes(i); })};
  }

  function start(root, data, serial) {
    const base = root.dataset.frames;
    const frameUrl = (i) => `${base}frame-${i}.png`;
    const index = new Map(data.frames.map((frame, i) => [JSON.stringify(frame), i]));
    const image = element("img", {class: "resnorm-frame", src: frameUrl(0)});
    const note = element("p", {class: "resnorm-frames-note", "aria-live": "polite"});
    let current = 0;
    const describe = (frame) => data.controls.map((c, k) => {
      const token = frame[k];
      const shown = Array.isArray(token) ? token.map((i) => c.labels[i]).join(", ") || "–" : c.labels[token];
      return `${c.label} ${shown}`;
    }).join("; ");

    function show(i, moved, started) {
      current = i;
      views.forEach((view, k) => view.show(data.frames[i][k]));
      delete root.dataset.responseMs;
      image.src = frameUrl(i);
      image.alt = data.text.figure.replace("{setting}", describe(data.frames[i]));
      root.dataset.frame = String(i);
      // from the reader's change to the new frame ready to paint (a later change wins)
      image.decode().then(() => {
        if (current === i) root.dataset.responseMs = (performance.now() - started).toFixed(1);
      }, () => {});
      note.textContent = moved.length ? data.text.adjusted.replace("{names}", moved.join(", ")) : "";
    }

    function onChange(k, token) {
      const started = performance.now();
      const wanted = data.frames[current].slice();
      wanted[k] = token;
      let found = index.get(JSON.stringify(wanted));
      if (found === undefined) {
        let fewest = Infinity;
        data.frames.forEach((frame, i) => {
          if (!same(frame[k], token)) return;
          const differing = frame.filter((t, j) => j !== k && !same(t, wanted[j])).length;
          if (differing < fewest) { fewest = differing; found = i; }
        });
      }
      if (found === undefined) {  // no frame has this value: the control goes back
        views[k].show(data.frames[current][k]);
        note.textContent = data.text.unavailable;
        return;
      }
      const moved = data.controls.filter((c, j) => j !== k && !same(data.frames[found][j], wanted[j]))
        .map((c) => c.label);
      show(found, moved, started);
    }

    const views = data.controls.map((control, k) => controlView(control, k, onChange, serial));
    root.append(element("div", {class: "resnorm-controls"}, views.map((v) => v.node)), image, note);
    show(0, [], performance.now());

    const loaded = [];  // kept, so that the browser keeps the decoded frames
    const preload = () => {  // one after the other: a few requests at a time, not dozens at once
      if (loaded.length === data.frames.length) return;
      const frame = new Image();
      frame.src = frameUrl(loaded.length);
      loaded.push(frame);
      frame.decode().then(preload, preload);
    };
    if ("IntersectionObserver" in window) {
      const watcher = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { watcher.disconnect(); preload(); }
      }, {rootMargin: "600px"});
      watcher.observe(root);
    } else {
      preload();
    }
    root.classList.add("resnorm-frames-ready");
  }

  function load(root, serial) {
    const key = root.dataset.frames.replace(/\/$/, "").split("/").pop();
    const script = element("script", {src: `${root.dataset.frames}manifest.js`});
    script.addEventListener("load", () => start(root, window.resnormFrames[key], serial));
    // a site copied without its _explorers folder: say so where the explorer would be
    script.addEventListener("error", () => {
      root.append(element("p", {class: "resnorm-frames-note resnorm-frames-missing"}, [root.dataset.missing]));
    });
    document.head.append(script);
  }

  const all = () => document.querySelectorAll(".resnorm-frames").forEach(load);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
