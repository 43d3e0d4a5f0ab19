// SPDX-License-Identifier: GPL-2.0
// The heat map as a reader sees it: run by svgcheck.sh inside headless
// Chromium (--dump-dom) on a page that carries each SVG as base64 in
// window.NM_SVGS = [{ name, b64 }]. For each SVG it writes one line into
// <pre id="result">:
//   SVGCHECK <name> OK texts=N regions=N marks=N legends=N
//   SVGCHECK <name> FAIL <what is wrong>; <what else> ...
// Checked: the text parses as SVG (XML) and has a viewBox; the title, the
// legend of every colour scale drawn, the node labels and one region label
// per region row are there, each with a non-zero box inside the viewBox;
// every text is at least 10 px, dark enough on white (WCAG contrast >= 4.5)
// and overlaps no other text and no panel of cells.
(function () {
	"use strict";
	const out = [];

	function decode(b64) {
		const bin = atob(b64);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++)
			bytes[i] = bin.charCodeAt(i);
		return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
	}

	function box(el) {
		const b = el.getBBox();
		return { x: b.x, y: b.y, w: b.width, h: b.height };
	}

	function inside(b, vb) {
		return b.x >= vb.x - 0.5 && b.y >= vb.y - 0.5 && b.x + b.w <= vb.x + vb.width + 0.5 &&
			b.y + b.h <= vb.y + vb.height + 0.5;
	}

	// Overlap by more than half a pixel each way (touching is fine).
	function overlap(a, b) {
		return Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 &&
			Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
	}

	function union(els) {
		let u = null;
		for (const el of els) {
			const b = box(el);
			if (!u) {
				u = b;
				continue;
			}
			const x2 = Math.max(u.x + u.w, b.x + b.w), y2 = Math.max(u.y + u.h, b.y + b.h);
			u.x = Math.min(u.x, b.x);
			u.y = Math.min(u.y, b.y);
			u.w = x2 - u.x;
			u.h = y2 - u.y;
		}
		return u;
	}

	function luminance(rgb) {
		const c = rgb.map(v => {
			v /= 255;
			return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
		});
		return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	}

	function label(el) {
		return JSON.stringify((el.id ? "#" + el.id + " " : "") + (el.textContent || "").slice(0, 40));
	}

	function check(name, text, host) {
		const bad = [];
		const doc = new DOMParser().parseFromString(text, "image/svg+xml");
		const err = doc.getElementsByTagName("parsererror");
		if (err.length)
			return "FAIL not well-formed SVG: " + err[0].textContent.replace(/\s+/g, " ").slice(0, 160);
		const svg = document.importNode(doc.documentElement, true);
		if (svg.namespaceURI !== "http://www.w3.org/2000/svg" || svg.localName !== "svg")
			return "FAIL the root is not an SVG <svg> element";
		host.appendChild(svg);
		const vb = svg.viewBox.baseVal;
		if (!vb || !vb.width || !vb.height)
			bad.push("no viewBox");
		const need = (sel, what) => {
			const el = svg.querySelector(sel);
			if (!el)
				bad.push("no " + what + " (" + sel + ")");
			return el;
		};
		const visible = (el, what) => {
			const b = box(el);
			if (b.w < 1 || b.h < 1)
				bad.push(what + " has an empty box");
			else if (vb && vb.width && !inside(b, vb))
				bad.push(what + " lies outside the viewBox: " + JSON.stringify(b));
		};
		const title = need("#title", "title");
		if (title) {
			visible(title, "the title");
			if (!/^numa-migrate trace: pid \d+ \(.*\), [\d.]+ s, \d+ samples$/.test(title.textContent))
				bad.push("title reads " + JSON.stringify(title.textContent));
		}
		const scales = ["access", "placement", "misplaced"];
		if (svg.querySelector(".cell.time"))
			scales.push("time");
		for (const s of scales) {
			const g = need("#legend-" + s, "legend of the " + s + " scale");
			if (!g)
				continue;
			visible(g, "legend " + s);
			if (!g.querySelector("text") || !g.querySelector("rect"))
				bad.push("legend " + s + " lacks its caption or swatches");
		}
		const rows = svg.querySelectorAll("g.region");
		const rlabels = svg.querySelectorAll("text.region-label");
		if (rows.length !== rlabels.length)
			bad.push(rows.length + " region rows but " + rlabels.length + " region labels");
		const nlabels = svg.querySelectorAll("text.node-label");
		if (nlabels.length < 2)
			bad.push("node labels: " + nlabels.length + ", want one per node in each panel");
		for (const el of rlabels)
			if (!/^0x[0-9a-f]+ \S/.test(el.textContent))
				bad.push("region label without a mapping name: " + label(el));
		const texts = Array.from(svg.querySelectorAll("text"));
		const boxes = texts.map(box);
		const panels = ["access", "placement", "time"].map(p =>
			union(svg.querySelectorAll("rect.cell." + p))).filter(b => b);
		texts.forEach((el, i) => {
			const b = boxes[i], st = getComputedStyle(el);
			const what = "text " + label(el);
			if (b.w < 1 || b.h < 1)
				bad.push(what + " has an empty box");
			else if (vb && vb.width && !inside(b, vb))
				bad.push(what + " lies outside the viewBox");
			if (parseFloat(st.fontSize) < 10)
				bad.push(what + " is " + st.fontSize + " (< 10px)");
			const m = /rgba?\((\d+), (\d+), (\d+)/.exec(st.fill);
			if (!m)
				bad.push(what + " has fill " + st.fill);
			else if (1.05 / (luminance([+m[1], +m[2], +m[3]]) + 0.05) < 4.5)
				bad.push(what + " is too light on white (" + st.fill + ")");
			for (const p of panels)
				if (overlap(b, p))
					bad.push(what + " overlaps a panel of cells");
		});
		// labels that overlap: sort by x, compare while the next starts left
		// of this one's end (n log n plus the overlapping pairs)
		const order = boxes.map((b, i) => i).sort((a, b) => boxes[a].x - boxes[b].x);
		for (let k = 0; k < order.length; k++) {
			const a = boxes[order[k]];
			for (let j = k + 1; j < order.length && boxes[order[j]].x < a.x + a.w; j++)
				if (overlap(a, boxes[order[j]]))
					bad.push("texts overlap: " + label(texts[order[k]]) + " and " +
						 label(texts[order[j]]));
		}
		host.removeChild(svg);
		if (bad.length)
			return "FAIL " + bad.slice(0, 8).join("; ") +
				(bad.length > 8 ? "; (" + (bad.length - 8) + " more)" : "");
		return "OK texts=" + texts.length + " regions=" + rows.length + " marks=" +
			svg.querySelectorAll("text.mark").length + " legends=" + scales.length;
	}

	const host = document.getElementById("host");
	for (const s of window.NM_SVGS) {
		let r;
		try {
			r = check(s.name, decode(s.b64), host);
		} catch (e) {
			r = "FAIL " + e;
		}
		out.push("SVGCHECK " + s.name + " " + r);
	}
	document.getElementById("result").textContent = out.join("\n") + "\n";
})();
