function draw(canvas, data) {
  // the same picture as course_lib.reinforcement_learning.cartpole.draw_frame, in the browser
  if (!canvas || !data.state) return;
  const g = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  const [x, , theta] = data.state, half = data.view_half_width, scale = W / (2 * half);
  const px = (m) => W / 2 + m * scale, trackY = H * 0.78;
  g.clearRect(0, 0, W, H);
  g.strokeStyle = "#d62728"; g.setLineDash([6, 6]); g.lineWidth = 2;
  for (const limit of [-data.position_limit, data.position_limit]) {
    g.beginPath(); g.moveTo(px(limit), 20); g.lineTo(px(limit), trackY); g.stroke();
  }
  g.setLineDash([]); g.strokeStyle = "#555"; g.lineWidth = 3;
  g.beginPath(); g.moveTo(0, trackY); g.lineTo(W, trackY); g.stroke();
  const cw = 0.5 * scale, ch = 0.3 * scale;
  const cx = Math.min(Math.max(px(x), cw / 2 + 2), W - cw / 2 - 2);
  const axleY = trackY - ch * 0.75, pole = data.pole_length * scale;
  g.fillStyle = "rgba(150,150,150,0.25)"; g.beginPath(); g.moveTo(cx, axleY);
  g.arc(cx, axleY, pole, -Math.PI / 2 - data.angle_limit, -Math.PI / 2 + data.angle_limit);
  g.closePath(); g.fill();
  g.fillStyle = "#1f4e79"; g.fillRect(cx - cw / 2, trackY - ch, cw, ch);
  g.strokeStyle = Math.abs(theta) > data.angle_limit ? "#d62728" : "#c8a165"; g.lineWidth = 10;
  g.lineCap = "round"; g.beginPath(); g.moveTo(cx, axleY);
  g.lineTo(cx + pole * Math.sin(theta), axleY - pole * Math.cos(theta)); g.stroke();
  if (data.action === 0 || data.action === 1) {
    const dir = data.action === 1 ? 1 : -1, ax = cx - dir * (cw / 2 + 8);
    g.fillStyle = "#2ca02c"; g.beginPath(); g.moveTo(ax, trackY - ch / 2);
    g.lineTo(ax - dir * 22, trackY - ch / 2 - 12); g.lineTo(ax - dir * 22, trackY - ch / 2 + 12);
    g.closePath(); g.fill();
  }
  g.fillStyle = "#222"; g.font = "bold 22px sans-serif";
  g.fillText("your return: " + data.episode_return + (data.done ? "  ·  episode over" : ""), 12, 30);
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const store = (window.__courseHoldKeys ??= {});
  const s = (store[data.name] ??= {held: null, seq: 0, sentAt: 0, waiting: false,
                                    answered: -1, since: 0, first: false});
  s.setStateValue = setStateValue;  // the latest mount's: the one Streamlit listens to
  s.tickMs = data.tick_ms;
  if (data.answered !== s.answered) {
    // a trigger set while Streamlit finishes the last run is lost: wait a moment
    s.answered = data.answered; s.waiting = false; s.answeredAt = performance.now();
  }
  const pads = parentElement.querySelectorAll(".pad");
  draw(parentElement.querySelector(".cart"), data);
  s.pads = pads;
  const mark = () => pads.forEach(
    (pad) => pad.classList.toggle("held", String(s.held) === pad.dataset.action));
  s.send ??= () => {
    if (s.held === null) return;
    const now = performance.now();
    if (now - s.sentAt < s.tickMs || now - (s.answeredAt || 0) < 60) return;
    if (s.waiting && now - s.sentAt < 1000) return;  // the server has not answered yet
    const ms = Math.min(now - s.since, 5 * s.tickMs);
    s.since = now; s.sentAt = now; s.waiting = true; s.seq += 1;
    s.setStateValue("tick", {action: s.held, ms: Math.round(ms), seq: s.seq, first: s.first});
    s.first = false;
  };
  s.sendLast ??= () => {
    // the time held since the last tick, once the server has answered that tick: a key let
    // go while an answer was on its way is not lost
    if (!s.lastTick) return;
    const now = performance.now();
    if (now - (s.answeredAt || 0) < 60) return;
    if (s.waiting && now - s.sentAt < 1000) return;
    s.seq += 1; s.sentAt = now; s.waiting = true;
    s.setStateValue("tick", {...s.lastTick, seq: s.seq, first: false, last: true});
    s.lastTick = null;
  };
  s.timer ??= setInterval(() => { s.sendLast(); s.send(); }, 20);
  const hold = (action) => {
    if (s.held === action) return;
    s.held = action; s.first = true; s.since = performance.now() - s.tickMs;
    if (!s.lastTick) { s.sentAt = 0; s.waiting = false; }  // else the last hold's end goes first
    mark(); s.sendLast(); s.send();
  };
  const release = (action) => {
    if (!(action === undefined || s.held === action)) return;
    const ms = performance.now() - s.since;  // held since the last tick: sent, not lost
    if (s.held !== null && ms >= s.tickMs / 2) {
      s.lastTick = {action: s.held, ms: Math.round(Math.min(ms, 5 * s.tickMs))};
      s.sendLast();
    }
    s.held = null; mark();
  };
  const onScreen = () => {
    const box = pads[0].getBoundingClientRect();  // (a shadow root's host has no box)
    return box.bottom > 0 && box.top < window.innerHeight;
  };
  const typing = (e) => {
    const t = e.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)
                 || t.getAttribute?.("role") === "slider");
  };
  const KEYS = {ArrowLeft: 0, ArrowRight: 1};
  const down = (e) => {
    if (!(e.key in KEYS) || typing(e) || !onScreen()) return;
    e.preventDefault();
    hold(KEYS[e.key]);
  };
  const up = (e) => { if (e.key in KEYS) release(KEYS[e.key]); };
  const pointerUp = () => release();
  pads.forEach((pad) => {
    pad.onpointerdown = (e) => { e.preventDefault(); hold(Number(pad.dataset.action)); };
    pad.oncontextmenu = (e) => e.preventDefault();
  });
  document.addEventListener("keydown", down);
  document.addEventListener("keyup", up);
  window.addEventListener("pointerup", pointerUp);
  window.addEventListener("pointercancel", pointerUp);
  window.addEventListener("blur", pointerUp);
  mark();
  return () => {
    document.removeEventListener("keydown", down);
    document.removeEventListener("keyup", up);
    window.removeEventListener("pointerup", pointerUp);
    window.removeEventListener("pointercancel", pointerUp);
    window.removeEventListener("blur", pointerUp);
  };
}
