// The dingbot emulator's preview page: every request to the robot, shown as a DingTalk
// group shows it, updated live.
//
// A message is data. Everything here builds the DOM with createElement and textContent;
// no string from a message is ever parsed as HTML, a URL becomes an href only when it is
// http(s) or dingtalk: and an image src only when it is http(s), and a message's msgtype
// or field names are looked up in Maps and own properties only (never the prototype).
// The server's Content-Security-Policy is a second wall.
"use strict";

(function () {
  // ----- DOM helpers -----

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(value) {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  }

  // DingTalk's markdown subset, as the library states it (GET /preview/subset, read
  // before the first message is shown): which constructs show as text, and which URL
  // schemes a link opens.
  let subset = { constructs: [], linkSchemes: [] };
  let linkPattern = /^$/;

  function useSubset(value) {
    const schemes = Array.isArray(value && value.linkSchemes) ? value.linkSchemes.filter((x) => /^[a-z][a-z0-9+.-]*$/i.test(x)).map((x) => x.replace(/[+.]/g, "\\$&")) : [];
    subset = { constructs: Array.isArray(value && value.constructs) ? value.constructs : [], linkSchemes: schemes };
    linkPattern = schemes.length ? new RegExp("^(" + schemes.join("|") + "):\\/\\/", "i") : /^$/;
  }

  // The URL if a DingTalk client would open it and a browser can do so safely; else null.
  function safeUrl(value) {
    const url = str(value).trim();
    return url && linkPattern.test(url) && !/^javascript:/i.test(url) ? url : null;
  }

  // The URL if it can be a message's picture: DingTalk shows only public http(s) images.
  function imageUrl(value) {
    const url = str(value).trim();
    return /^https?:\/\//i.test(url) ? url : null;
  }

  // An image of the message; one that does not load becomes a grey box naming it, as
  // DingTalk shows a picture it cannot fetch.
  function picture(src, alt) {
    const img = el("img");
    img.alt = str(alt);
    img.addEventListener("error", () => {
      const box = el("span", "broken-picture", alt ? str(alt) : "picture");
      box.title = "could not load " + src;
      img.replaceWith(box);
    });
    img.src = src;
    return img;
  }

  // ----- mentions -----

  // What may continue an id after "@id": then it is a longer id, not this one (the
  // library's rule, dingbot/src/message/at.rs: `@138` is not in `@1380`).
  const ID_CONTINUES = /^[\p{L}\p{N}_-]/u;

  // Whether `body` holds "@id" not followed by more of an id.
  function mentions(body, id) {
    let from = 0;
    for (;;) {
      const at = body.indexOf("@" + id, from);
      if (at < 0) return false;
      if (!ID_CONTINUES.test(body.slice(at + 1 + id.length))) return true;
      from = at + 1;
    }
  }

  // Who a text or markdown message mentions, and whether each mention notifies:
  // DingTalk notifies an id only if it is in `at` AND "@id" is in the body.
  function mentionsOf(payload, body) {
    const at = (payload && typeof payload.at === "object" && payload.at) || {};
    const list = (v) => (Array.isArray(v) ? v.map(str).filter((s) => s !== "") : []);
    const ids = list(at.atMobiles).concat(list(at.atUserIds));
    return {
      ids: ids.sort((a, b) => b.length - a.length),
      notifies: (id) => mentions(body, id),
      all: at.isAtAll === true,
    };
  }

  // Appends `text` to `parent`, with mentions highlighted.
  function appendText(parent, text, mentions) {
    if (!mentions || text.indexOf("@") < 0) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    let plain = "";
    let i = 0;
    while (i < text.length) {
      if (text[i] === "@") {
        const rest = text.slice(i + 1);
        const id = mentions.ids.find(
          (candidate) => rest.startsWith(candidate) && !ID_CONTINUES.test(rest.slice(candidate.length)),
        );
        const loose = id ? null : /^\d{5,}/.exec(rest);
        if (id || loose) {
          parent.appendChild(document.createTextNode(plain));
          plain = "";
          const word = id || loose[0];
          const span = el("span", id ? "mention notify" : "mention inert", "@" + word);
          span.title = id
            ? "notifies " + word
            : word + " is not in `at`: this mention notifies nobody";
          parent.appendChild(span);
          i += 1 + word.length;
          continue;
        }
      }
      plain += text[i];
      i += 1;
    }
    parent.appendChild(document.createTextNode(plain));
  }

  function mentionSummary(mentions) {
    const box = el("div", "mentions");
    for (const id of mentions.ids) {
      if (mentions.notifies(id)) {
        box.appendChild(el("span", "notify", "@" + id + " notifies"));
      } else {
        box.appendChild(el("span", "silent", "@" + id + " will not notify: no @" + id + " in the text"));
      }
    }
    if (mentions.all) box.appendChild(el("span", "notify", "@all: everyone is notified"));
    return box;
  }

  // ----- DingTalk's markdown subset -----
  // How to find, in a line, each construct the subset says DingTalk does not render
  // (by its name in GET /preview/subset).
  const UNRENDERED_FOUND = new Map([
    ["code span", (line) => /(^|[^\\`])`[^`]+`/.test(line)],
    ["code block", (line) => /^\s*(```|~~~)/.test(line)],
    ["table", (line) => /^\s*\|.*\|\s*$/.test(line) || /^\s*\|?\s*:?-{3,}:?\s*\|/.test(line)],
    ["HTML tag", (line) => /(^|[^\\])<\/?[a-z][^>]*>/i.test(line)],
  ]);

  // Rendered: # headings, > quotes, **bold**, *italic*, [links](url), ![images](url),
  // - and 1. lists. Not rendered (shown as the text it
  // is): tables, code blocks, HTML, `*` and `+` bullets, `1)` numbering. A single newline
  // is not a line break, in a quote too; a blank line or two trailing spaces are.

  const PUNCTUATION = "\\`*_{}[]()#+-.!|>~<\"'$%&,/:;=?@^";

  // Inline markup of `text` appended to `parent`.
  function inline(parent, text, mentions) {
    let plain = "";
    const flush = () => {
      if (plain) appendText(parent, plain, mentions);
      plain = "";
    };
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === "\\" && i + 1 < text.length && PUNCTUATION.includes(text[i + 1])) {
        plain += text[i + 1];
        i += 2;
        continue;
      }
      if (c === "!" && text[i + 1] === "[") {
        const link = linkAt(text, i + 1);
        if (link) {
          flush();
          const src = imageUrl(link.url);
          if (src) {
            parent.appendChild(picture(src, link.label));
          } else {
            const span = el("span", "not-a-link", link.label || link.url);
            span.title = "not shown: an image must be a public http(s) URL";
            parent.appendChild(span);
          }
          i = link.end;
          continue;
        }
      }
      if (c === "[") {
        const link = linkAt(text, i);
        if (link) {
          flush();
          const href = safeUrl(link.url);
          const node = href ? el("a") : el("span", "not-a-link");
          if (href) {
            node.href = href;
            node.target = "_blank";
            node.rel = "noopener noreferrer";
          } else {
            node.title = "not a link: DingTalk opens only " + subset.linkSchemes.join(", ") + " URLs";
          }
          inline(node, link.label, mentions);
          parent.appendChild(node);
          i = link.end;
          continue;
        }
      }
      if (c === "*" && text[i + 1] === "*") {
        const close = text.indexOf("**", i + 2);
        if (close > i + 2) {
          flush();
          const strong = el("strong");
          inline(strong, text.slice(i + 2, close), mentions);
          parent.appendChild(strong);
          i = close + 2;
          continue;
        }
      }
      if (c === "*" && text[i + 1] !== "*" && text[i + 1] !== " ") {
        const close = findSingleStar(text, i + 1);
        if (close > i + 1) {
          flush();
          const em = el("em");
          inline(em, text.slice(i + 1, close), mentions);
          parent.appendChild(em);
          i = close + 1;
          continue;
        }
      }
      plain += c;
      i += 1;
    }
    flush();
  }

  function findSingleStar(text, from) {
    for (let j = from; j < text.length; j++) {
      if (text[j] === "\\") {
        j++;
        continue;
      }
      if (text[j] === "*" && text[j + 1] !== "*" && text[j - 1] !== " ") return j;
    }
    return -1;
  }

  // `[label](url)` starting at `start`, or null.
  function linkAt(text, start) {
    let depth = 0;
    let j = start;
    for (; j < text.length; j++) {
      if (text[j] === "\\") {
        j++;
        continue;
      }
      if (text[j] === "[") depth++;
      if (text[j] === "]") {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= text.length || text[j + 1] !== "(") return null;
    const close = text.indexOf(")", j + 2);
    if (close < 0) return null;
    return { label: text.slice(start + 1, j), url: text.slice(j + 2, close).trim(), end: close + 1 };
  }

  // The markdown body as DOM, and notes on what DingTalk will not render as the author
  // may have meant.
  function markdown(text, mentions) {
    const root = el("div", "md");
    const notes = new Set();
    const lines = str(text).replace(/\r\n?/g, "\n").split("\n");
    let paragraph = null; // { node, lines, parent }
    let list = null; // { node, ordered, item }
    let quote = null; // { node, paragraph }

    const closeParagraph = () => {
      if (paragraph) {
        paragraph.lines.forEach((line, k) => {
          if (k > 0) {
            const previous = paragraph.lines[k - 1];
            if (/ {2,}$/.test(previous)) {
              paragraph.node.appendChild(el("br"));
            } else {
              paragraph.node.appendChild(document.createTextNode(" "));
              notes.add("a single newline is not a line break in DingTalk: lines were joined (use a blank line, or two trailing spaces)");
            }
          }
          inline(paragraph.node, line.replace(/ +$/, ""), mentions);
        });
        paragraph = null;
      }
    };
    const closeAll = () => {
      closeParagraph();
      list = null;
      quote = null;
    };

    for (const line of lines) {
      for (const construct of subset.constructs) {
        const found = UNRENDERED_FOUND.get(construct && construct.name);
        if (construct && construct.rendered === false && found && found(line)) {
          notes.add("not rendered in DingTalk (" + construct.name + "): " + str(construct.instead));
        }
      }

      if (line.trim() === "") {
        closeAll();
        continue;
      }
      const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) {
        closeAll();
        const h = el("h" + heading[1].length);
        inline(h, heading[2], mentions);
        root.appendChild(h);
        continue;
      }
      const quoted = /^\s*>\s?(.*)$/.exec(line);
      if (quoted) {
        list = null;
        if (!quote) {
          closeParagraph();
          quote = { node: el("blockquote") };
          root.appendChild(quote.node);
        }
        // `>` alone ends a paragraph of the quote; lines in between are joined.
        if (quoted[1].trim() === "") {
          closeParagraph();
          continue;
        }
        if (!paragraph || paragraph.parent !== quote.node) {
          closeParagraph();
          paragraph = { node: el("p"), lines: [], parent: quote.node };
          quote.node.appendChild(paragraph.node);
        }
        paragraph.lines.push(quoted[1]);
        continue;
      }
      if (/^\s*[*+]\s+/.test(line)) notes.add("only - makes a list item in DingTalk: * and + bullets show as text");
      if (/^\s*\d{1,9}\)\s+/.test(line)) notes.add("only 1. numbering makes an ordered list in DingTalk: 1) shows as text");
      const bullet = /^\s*-\s+(.*)$/.exec(line);
      const numbered = bullet ? null : /^\s*(\d{1,9})\.\s+(.*)$/.exec(line);
      if (bullet || numbered) {
        closeParagraph();
        quote = null;
        const ordered = Boolean(numbered);
        if (!list || list.ordered !== ordered) {
          list = { node: el(ordered ? "ol" : "ul"), ordered };
          if (ordered && numbered[1] !== "1") list.node.start = Number(numbered[1]);
          root.appendChild(list.node);
        }
        const li = el("li");
        inline(li, bullet ? bullet[1] : numbered[2], mentions);
        list.node.appendChild(li);
        list.item = li;
        continue;
      }
      if (list && list.item) {
        // A lazy continuation line of the list item.
        list.item.appendChild(document.createTextNode(" "));
        inline(list.item, line.trim(), mentions);
        continue;
      }
      if (quote) {
        closeParagraph();
        quote = null;
      }
      if (!paragraph) {
        paragraph = { node: el("p"), lines: [], parent: root };
        root.appendChild(paragraph.node);
      }
      paragraph.lines.push(line);
    }
    closeAll();
    return { node: root, notes: Array.from(notes) };
  }

  // ----- message types -----

  // What the conversation list and the notification show for a message.
  function chatTitle(payload) {
    switch (payload.msgtype) {
      case "text":
        return str(payload.text && payload.text.content).split("\n")[0].slice(0, 60);
      case "markdown":
        return str(payload.markdown && payload.markdown.title);
      case "link":
        return str(payload.link && payload.link.title);
      case "actionCard":
        return str(payload.actionCard && payload.actionCard.title);
      case "feedCard": {
        const links = payload.feedCard && Array.isArray(payload.feedCard.links) ? payload.feedCard.links : [];
        return links.length ? str(links[0] && links[0].title) : "";
      }
      default:
        return "";
    }
  }

  function renderText(body) {
    const content = str(body.text && body.text.content);
    const mentions = mentionsOf(body, content);
    const bubble = el("div", "bubble text");
    const p = el("div", "text-body");
    appendText(p, content, mentions);
    bubble.appendChild(p);
    return { bubble, mentions, notes: [] };
  }

  function renderMarkdown(body) {
    const md = body.markdown || {};
    const text = str(md.text);
    const mentions = mentionsOf(body, text);
    const rendered = markdown(text, mentions);
    const bubble = el("div", "bubble markdown");
    bubble.appendChild(rendered.node);
    return { bubble, mentions, notes: rendered.notes };
  }

  function renderLink(body) {
    const link = body.link || {};
    const href = safeUrl(link.messageUrl);
    const card = href ? el("a", "link-card") : el("div", "link-card");
    if (href) {
      card.href = href;
      card.target = "_blank";
      card.rel = "noopener noreferrer";
    }
    const words = el("div", "link-words");
    words.appendChild(el("div", "link-title", str(link.title)));
    words.appendChild(el("div", "link-text", str(link.text)));
    card.appendChild(words);
    const pic = imageUrl(link.picUrl);
    if (pic) card.appendChild(picture(pic, ""));
    const bubble = el("div", "bubble link");
    bubble.appendChild(card);
    return { bubble, mentions: null, notes: href ? [] : ["messageUrl is not an http(s) URL: the card opens nothing"] };
  }

  function button(title, url) {
    const href = safeUrl(url);
    const node = href ? el("a", "button", str(title)) : el("span", "button not-a-link", str(title));
    if (href) {
      node.href = href;
      node.target = "_blank";
      node.rel = "noopener noreferrer";
    } else {
      node.title = "not a link: DingTalk opens only http(s) and dingtalk: URLs";
    }
    return node;
  }

  function renderActionCard(body) {
    const card = body.actionCard || {};
    const rendered = markdown(str(card.text), null);
    const bubble = el("div", "bubble action-card");
    bubble.appendChild(rendered.node);
    const notes = rendered.notes.slice();
    const single = card.singleTitle !== undefined || card.singleURL !== undefined;
    const btns = Array.isArray(card.btns) ? card.btns : [];
    if (single) {
      const row = el("div", "buttons single");
      row.appendChild(button(card.singleTitle, card.singleURL));
      bubble.appendChild(row);
      if (btns.length) notes.push("btns are ignored: singleTitle and singleURL make the whole card one button");
    } else if (btns.length) {
      const horizontal = str(card.btnOrientation) === "1";
      const row = el("div", "buttons " + (horizontal ? "horizontal" : "vertical"));
      for (const b of btns) row.appendChild(button(b && b.title, b && b.actionURL));
      bubble.appendChild(row);
    }
    return { bubble, mentions: null, notes, hideAvatar: str(card.hideAvatar) === "1" };
  }

  function renderFeedCard(body) {
    const links = body.feedCard && Array.isArray(body.feedCard.links) ? body.feedCard.links : [];
    const bubble = el("div", "bubble feed-card");
    links.forEach((link, k) => {
      link = link || {};
      const href = safeUrl(link.messageURL);
      const item = href ? el("a", "feed-item") : el("div", "feed-item");
      if (k === 0) item.classList.add("first");
      if (href) {
        item.href = href;
        item.target = "_blank";
        item.rel = "noopener noreferrer";
      }
      const pic = imageUrl(link.picURL);
      const img = pic ? picture(pic, "") : null;
      const title = el("span", "feed-title", str(link.title));
      if (k === 0 && img) item.appendChild(img);
      item.appendChild(title);
      if (k > 0 && img) item.appendChild(img);
      bubble.appendChild(item);
    });
    return { bubble, mentions: null, notes: [] };
  }

  // A Map, not an object: a msgtype such as "constructor" or "__proto__" finds nothing.
  const RENDERERS = new Map([
    ["text", renderText],
    ["markdown", renderMarkdown],
    ["link", renderLink],
    ["actionCard", renderActionCard],
    ["feedCard", renderFeedCard],
  ]);

  // ----- one request -----

  function verdict(request) {
    if (request.unchecked) {
      const box = el("div", "verdict unchecked");
      box.appendChild(el("div", "errcode", request.errmsg));
      return box;
    }
    const accepted = request.errcode === 0 && request.http_status === 200;
    const box = el("div", accepted ? "verdict accepted" : "verdict rejected");
    if (accepted) {
      box.appendChild(el("div", "errcode", "errcode 0: ok"));
      return box;
    }
    const code = request.errcode !== null && request.errcode !== undefined
      ? "errcode " + request.errcode
      : request.http_status ? "HTTP " + request.http_status : "no answer";
    box.appendChild(el("div", "errcode", "Rejected: " + code));
    if (request.errmsg) box.appendChild(el("div", "errmsg", request.errmsg));
    if (request.reason) box.appendChild(el("div", "reason", request.reason));
    return box;
  }

  // What a group member said through POST /mock/say, as the group shows it: their name
  // and their words, the robot's reply following in the list.
  function renderSaid(request) {
    const said = request.payload && typeof request.payload === "object" ? request.payload : {};
    const nick = str(said.senderNick) || "Mock User";
    const article = el("article", "request said");
    if (request.index !== undefined) article.dataset.index = String(request.index);
    article.appendChild(el("div", "avatar person", nick.slice(0, 1)));
    const column = el("div", "column");
    const meta = el("div", "meta");
    meta.appendChild(el("span", "sender", nick));
    if (request.elapsed_ms !== undefined) {
      meta.appendChild(el("span", "time", "+" + (request.elapsed_ms / 1000).toFixed(1) + " s"));
    }
    meta.appendChild(el("span", "badge said", "said to the robot"));
    column.appendChild(meta);
    const bubble = el("div", "bubble said-text");
    bubble.appendChild(el("p", "", "@robot " + str(said.text)));
    column.appendChild(bubble);
    article.appendChild(column);
    return article;
  }

  // A Stream client's connection, as one line.
  function renderSystem(request, text) {
    const article = el("article", "request system");
    if (request.index !== undefined) article.dataset.index = String(request.index);
    article.appendChild(el("div", "system-line", text));
    return article;
  }

  function renderRequest(request, pasted) {
    if (!pasted && request.path === "/mock/say") return renderSaid(request);
    if (!pasted && request.path === "/connect") {
      return renderSystem(request, request.http_status === 101
        ? "a Stream socket opened" : "a Stream socket was refused: " + str(request.reason));
    }
    if (!pasted && request.path === "/v1.0/gateway/connections/open") {
      return renderSystem(request, request.errcode === 0 || request.http_status === 200
        ? "a Stream client connected" : "a Stream client was refused: " + str(request.reason));
    }
    const payload = request.payload && typeof request.payload === "object" ? request.payload : null;
    const accepted = request.errcode === 0 && request.http_status === 200;
    const state = request.unchecked ? "unchecked" : accepted ? "accepted" : "rejected";
    const article = el("article", "request " + state);
    if (pasted) article.classList.add("pasted");
    if (request.index !== undefined) article.dataset.index = String(request.index);
    const type = payload ? str(payload.msgtype) : "";
    if (type) article.dataset.msgtype = type;

    const renderer = RENDERERS.get(type);
    const shown = renderer ? renderer(payload) : null;

    const avatar = el("div", "avatar", "bot");
    if (shown && shown.hideAvatar) {
      avatar.classList.add("hidden");
      avatar.title = "hideAvatar: the robot's avatar is hidden";
    }
    article.appendChild(avatar);
    const column = el("div", "column");
    article.appendChild(column);

    const meta = el("div", "meta");
    meta.appendChild(el("span", "sender", pasted ? "pasted payload" : "robot"));
    if (request.elapsed_ms !== undefined) {
      meta.appendChild(el("span", "time", "+" + (request.elapsed_ms / 1000).toFixed(1) + " s"));
    }
    if (payload) meta.appendChild(el("span", "chat-title", chatTitle(payload)));
    if (request.unchecked) {
      meta.appendChild(el("span", "badge unchecked", "not checked"));
    } else if (request.duplicate) {
      meta.appendChild(el("span", "badge dup", "duplicate msgUuid: answered ok, not posted again"));
    } else if (accepted) {
      meta.appendChild(el("span", "badge ok", pasted ? "would be accepted" : "posted"));
    } else {
      meta.appendChild(el("span", "badge bad", pasted ? "would be rejected" : "rejected"));
    }
    column.appendChild(meta);

    if (shown) {
      column.appendChild(shown.bubble);
      if (shown.mentions && (shown.mentions.ids.length || shown.mentions.all)) {
        column.appendChild(mentionSummary(shown.mentions));
      }
      if (shown.notes.length) {
        const notes = el("ul", "notes");
        for (const note of shown.notes) notes.appendChild(el("li", "", note));
        column.appendChild(notes);
      }
    } else {
      const bubble = el("div", "bubble raw");
      const shownBody = payload ? JSON.stringify(payload, null, 2) : str(request.body);
      bubble.textContent = shownBody || (request.method + " " + request.path + " (no body)");
      column.appendChild(bubble);
    }
    if (request.body_cut === true) {
      column.appendChild(el("div", "meta", "body cut: " + str(request.body_len) +
        " bytes were sent; the emulator keeps the first 64 KiB"));
    }
    if (!accepted || pasted) column.appendChild(verdict(request));
    return article;
  }

  // A request the page failed to render (a bug, or a payload it did not foresee): its
  // raw body and what went wrong, so that the page goes on with the next one.
  function renderRaw(request, err) {
    const article = el("article", "request unrendered");
    if (request && request.index !== undefined) article.dataset.index = String(request.index);
    const column = el("div", "column");
    column.appendChild(el("div", "meta", "not rendered: " + str(err && err.message)));
    const raw = request && request.payload !== undefined && request.payload !== null
      ? JSON.stringify(request.payload, null, 2)
      : str(request && request.body);
    column.appendChild(el("div", "bubble raw", raw));
    article.appendChild(column);
    return article;
  }

  function renderSafely(request, pasted) {
    try {
      return renderRequest(request, pasted);
    } catch (err) {
      return renderRaw(request, err);
    }
  }

  // ----- live updates (polling) -----

  const requestsBox = document.getElementById("requests");
  const empty = document.getElementById("empty");
  const live = document.getElementById("live");
  const robot = document.getElementById("robot");
  let next = 0;
  let count = 0;
  // Requests the emulator dropped (it keeps the last `keep`) before this page saw them.
  let missed = 0;
  let keep = null;
  let instance = null;

  function describeRobot(settings) {
    const parts = [];
    parts.push(settings.signed ? "signed requests (加签)" : "no signing");
    if (settings.keywords && settings.keywords.length) parts.push("keywords: " + settings.keywords.join(", "));
    if (settings.allowed_ips && settings.allowed_ips.length) parts.push("IP allow-list: " + settings.allowed_ips.join(", "));
    if (settings.rate_limit) parts.push(settings.rate_limit.max + " messages per " + settings.rate_limit.per_ms / 1000 + " s");
    return parts.join(" · ");
  }

  // Starts the list over: the emulator behind this address was restarted or reset.
  function startOver() {
    requestsBox.textContent = "";
    next = 0;
    count = 0;
    missed = 0;
  }

  async function poll() {
    let more = false;
    try {
      const res = await fetch("/preview/requests?after=" + next, { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status + ": " + (await res.text()));
      const data = await res.json();
      robot.textContent = describeRobot(data.robot || {});
      const requests = Array.isArray(data.requests) ? data.requests : [];
      if ((instance !== null && data.instance !== instance) || data.next < next) {
        // Another emulator, or fewer requests than seen: ask again from the start.
        instance = data.instance;
        startOver();
        more = true;
      } else {
        instance = data.instance;
        // Every number between `next` and `data.next` was either sent here or dropped.
        if (typeof data.next === "number" && data.next - next > requests.length) {
          missed += data.next - next - requests.length;
        }
        if (typeof data.keep === "number") keep = data.keep;
        // Advanced first: whatever a request does to its rendering, it is not asked for
        // again and again.
        next = data.next;
        more = data.more === true;
        for (const request of requests) {
          requestsBox.appendChild(renderSafely(request, false));
          count += 1;
        }
      }
      empty.hidden = count > 0;
      live.textContent = "live: " + count + (count === 1 ? " request" : " requests") +
        (missed > 0 ? " · " + missed + " dropped before shown (the emulator keeps the last " + keep + ")" : "");
      live.classList.remove("down");
    } catch (err) {
      live.textContent = "the emulator is not answering (" + str(err && err.message) + "); retrying";
      live.classList.add("down");
    }
    setTimeout(poll, more ? 0 : 1000);
  }

  // ----- paste JSON -----

  const pasteInput = document.getElementById("paste-input");
  const pasteOutput = document.getElementById("paste-output");

  async function renderPasted() {
    pasteOutput.textContent = "";
    const text = pasteInput.value;
    try {
      JSON.parse(text);
    } catch (err) {
      pasteOutput.appendChild(renderSafely({
        http_status: 200, errcode: 40035, errmsg: "缺少参数 json",
        reason: "this is not JSON: " + str(err && err.message), payload: null, body: text,
      }, true));
      return;
    }
    let verdictOf;
    try {
      const res = await fetch("/preview/check", { method: "POST", body: text, headers: { "Content-Type": "application/json" } });
      if (!res.ok) throw new Error("HTTP " + res.status + ": " + (await res.text()));
      verdictOf = await res.json();
      verdictOf.http_status = 200;
    } catch (err) {
      verdictOf = {
        unchecked: true, http_status: null, errcode: null,
        errmsg: "not checked: the emulator did not answer (" + str(err && err.message) + ")",
        payload: JSON.parse(text),
      };
    }
    pasteOutput.appendChild(renderSafely(verdictOf, true));
  }

  document.getElementById("paste-render").addEventListener("click", renderPasted);

  // The say box: POST /mock/say, as a group member writing to the app robot.
  async function say() {
    const result = document.getElementById("say-result");
    result.textContent = "";
    const body = JSON.stringify({
      text: document.getElementById("say-text").value,
      senderNick: document.getElementById("say-nick").value,
      senderStaffId: document.getElementById("say-staff").value,
    });
    try {
      const res = await fetch("/mock/say", { method: "POST", body, headers: { "Content-Type": "application/json" } });
      const answer = res.ok ? await res.json() : null;
      result.textContent = answer
        ? (answer.delivered > 0 ? "delivered" : "no client connected: it waits for the next one")
        : "not delivered (" + res.status + "): start dingbot mock with --app-key and --app-secret";
    } catch (err) {
      result.textContent = "not delivered: " + str(err);
    }
  }
  document.getElementById("say-send").addEventListener("click", say);
  // `#say=<url-encoded text>` opens the page and says it: a link that asks the robot.
  function sayFromHash() {
    if (!location.hash.startsWith("#say=")) return;
    try {
      document.getElementById("say-text").value = decodeURIComponent(location.hash.slice("#say=".length));
    } catch (err) {
      return;
    }
    say();
  }
  // `#paste=<url-encoded JSON>` opens the page with that payload rendered: a link that
  // shows a message without sending it.
  function pasteFromHash() {
    if (!location.hash.startsWith("#paste=")) return;
    try {
      pasteInput.value = decodeURIComponent(location.hash.slice("#paste=".length));
    } catch (err) {
      pasteInput.value = location.hash.slice("#paste=".length);
    }
    renderPasted();
  }
  window.dingbotPreview = { renderRequest, markdown };
  fetch("/preview/subset", { cache: "no-store" })
    .then((res) => (res.ok ? res.json() : null))
    .then(useSubset, () => useSubset(null))
    .finally(() => {
      pasteFromHash();
      sayFromHash();
      poll();
    });
})();
