// The station's page. Everything shown from the station, a recipe or the history goes in through
// textContent (never innerHTML): recipe text is not trusted.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { snapshot: null, samples: [], connected: false, problem: null, soundOn: false, audio: null, beepTimer: null, source: null };

// ---------- small helpers ----------
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const m = Math.floor(whole / 60), s = whole % 60;
  return m + ':' + String(s).padStart(2, '0');
}
function celsius(value) { return value === null || value === undefined ? '–' : String(Math.round(value)); }
function setMessage(text, isError) {
  const node = $('message');
  node.textContent = text || '';
  node.classList.toggle('error', !!isError);
}

// ---------- views ----------
function show(view) {
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== 'view-' + view;
  for (const tab of document.querySelectorAll('.tab')) {
    if (tab.dataset.view === view || (view === 'recipe' && tab.dataset.view === 'start')) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  if (view === 'start') loadRecipes();
  if (view === 'history') loadHistory();
  if (view === 'cook') drawChart();
}
for (const button of document.querySelectorAll('[data-view]')) button.addEventListener('click', () => show(button.dataset.view));

// ---------- the live stream ----------
function connect() {
  if (state.source) state.source.close();
  const source = new EventSource('/events');
  state.source = source;
  source.addEventListener('state', (e) => {
    const data = JSON.parse(e.data);
    state.connected = data.connected;
    state.problem = data.problem;
    state.samples = Array.isArray(data.samples) ? data.samples : [];
    if (data.snapshot) state.snapshot = data.snapshot;
    render();
  });
  source.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    addSample(snapshot);
    state.snapshot = snapshot;
    state.connected = true;
    render();
  });
  source.addEventListener('event', (e) => {
    const event = JSON.parse(e.data);
    if (event.name === 'cook-started') { state.samples = []; askForSound(); }
  });
  source.onerror = () => {
    // EventSource reconnects by itself (retry: 2 s); a closed one is started again here.
    state.connected = false;
    state.problem = 'reconnecting to wokweb…';
    render();
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
  };
}

function addSample(snapshot) {
  if (snapshot.state === 'idle') return;
  const last = state.samples[state.samples.length - 1];
  if (last && snapshot.timeSeconds < last[0] + 1) return;
  const reading = snapshot.reading ? snapshot.reading.celsius : null;
  state.samples.push([snapshot.timeSeconds, reading, snapshot.targetC, snapshot.burner === 'on']);
  if (state.samples.length > 3600) state.samples.shift();
}

// ---------- rendering the cook ----------
const ACTIVE = new Set(['preheating', 'cooling', 'cooking', 'holding', 'waiting-for-cook']);
function render() {
  const s = state.snapshot;
  const link = $('link');
  link.textContent = state.connected ? 'live' : (state.problem || 'not connected');
  link.classList.toggle('down', !state.connected);
  document.querySelector('#view-cook').classList.toggle('stale', !state.connected);
  if (!s) return;
  $('station-name').textContent = s.station ? 'Wok station: ' + s.station : 'Wok station';
  const reading = s.reading;
  $('temperature').textContent = reading ? celsius(reading.celsius) : '–';
  $('trust').hidden = !reading || reading.trusted;
  $('target').textContent = s.targetC === null ? 'none' : celsius(s.targetC) + ' °C';
  const burner = $('burner');
  burner.textContent = 'burner ' + s.burner;
  burner.classList.toggle('on', s.burner === 'on');
  $('recipe-line').textContent = s.recipe ? (s.recipe + (s.serves ? ' · serves ' + s.serves : '') + ' · ' + s.state) : s.state;
  const stage = s.stage;
  const noStage = { done: 'Done', fault: 'Stopped by a fault' }[s.state] || 'No cook running';
  $('stage').textContent = stage ? 'Stage ' + (stage.index + 1) + '/' + s.stages.length + ': ' + stage.name : noStage;
  $('time-left').textContent = stage ? timeLeft(s, stage) : '';
  const ready = $('have-ready');
  ready.hidden = !s.haveReady;
  ready.textContent = s.haveReady ? 'Have ready: ' + s.haveReady : '';

  const prompt = $('prompt');
  const waiting = !!s.prompt && (ACTIVE.has(s.state) || s.state === 'fault');
  // During a fault the fault panel says it all; the prompt would repeat its reason.
  prompt.hidden = !s.prompt || !!s.fault;
  prompt.textContent = s.prompt || '';
  prompt.classList.toggle('flash', waiting);
  setAlarm(waiting);

  const fault = s.fault;
  $('fault').hidden = !fault;
  if (fault) {
    $('fault-reason').textContent = fault.reason;
    $('fault-advice').textContent = 'The burner is off. Deal with the cause, then press Acknowledge. (' + fault.kind + ')';
    $('fault-temperature').textContent = reading ? celsius(reading.celsius) + ' °C' + (reading.trusted ? '' : ' (not trusted)') : 'no reading';
  }
  const cooking = ACTIVE.has(s.state);
  $('do-next').disabled = s.state !== 'waiting-for-cook';
  const hold = $('do-hold');
  const canResume = s.state === 'holding' || (s.state === 'idle' && !!s.interrupted);
  hold.textContent = canResume ? 'Resume' : 'Hold';
  hold.disabled = !(cooking || canResume);
  $('do-extend').disabled = !cooking;
  $('do-abort').disabled = !(cooking || (s.state === 'idle' && !!s.interrupted));
  $('do-ack').hidden = !fault;
  if (!$('view-cook').hidden) drawChart();
}

// The stage's time left, in the words `wokctl watch` uses.
function timeLeft(s, stage) {
  const held = s.state === 'holding' ? ' (held)' : '';
  if (s.state === 'waiting-for-cook') {
    if (stage.untilSafeHoldSeconds !== null) return 'left ' + clock(stage.untilSafeHoldSeconds) + ' to confirm, then safe hold' + held;
    return 'left: none, at the safe hold until you confirm' + held;
  }
  if (stage.remainingSeconds !== null) {
    return 'left ' + clock(stage.remainingSeconds) + (stage.untilSafeHoldSeconds !== null ? ' until you may confirm' : '') + held;
  }
  if (s.state === 'preheating' && s.targetC !== null) return 'left: until the wok reaches ' + celsius(s.targetC) + ' °C' + held;
  return held ? 'held' : '';
}

// ---------- the chart: temperature and target over the cook so far ----------
function cssColor(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888'; }
function drawChart() {
  const canvas = $('chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const samples = state.samples;
  const fg = cssColor('--fg');
  g.font = '13px system-ui, sans-serif';
  g.fillStyle = fg;
  if (samples.length < 2) { g.fillText('The chart starts with the cook.', 12, 22); return; }
  const t0 = samples[0][0], t1 = samples[samples.length - 1][0];
  let top = 50;
  for (const p of samples) { if (p[1] !== null) top = Math.max(top, p[1]); if (p[2] !== null) top = Math.max(top, p[2]); }
  top = Math.ceil((top + 10) / 50) * 50;
  const left = 40, right = width - 8, up = 8, down = height - 22;
  const x = (t) => left + (t - t0) / Math.max(1, t1 - t0) * (right - left);
  const y = (c) => down - c / top * (down - up);
  g.strokeStyle = cssColor('--line');
  g.lineWidth = 1;
  for (let c = 0; c <= top; c += 50) {
    g.beginPath(); g.moveTo(left, y(c)); g.lineTo(right, y(c)); g.stroke();
    g.fillText(String(c), 4, y(c) + 4);
  }
  g.fillText(clock(0), left, height - 5);
  const span = clock(t1 - t0);
  g.fillText(span, right - g.measureText(span).width, height - 5);
  // Burner on: a strip along the bottom.
  g.fillStyle = cssColor('--hot');
  for (let i = 1; i < samples.length; i++) if (samples[i - 1][3]) g.fillRect(x(samples[i - 1][0]), down + 2, Math.max(1, x(samples[i][0]) - x(samples[i - 1][0])), 4);
  line(g, samples, 2, x, y, cssColor('--target'), [6, 4], true);
  line(g, samples, 1, x, y, cssColor('--hot'), [], false);
}
function line(g, samples, index, x, y, color, dash, stepped) {
  g.strokeStyle = color; g.lineWidth = 2.5; g.setLineDash(dash);
  g.beginPath();
  let open = false, lastY = 0;
  for (const p of samples) {
    if (p[index] === null) { open = false; continue; }
    if (!open) { g.moveTo(x(p[0]), y(p[index])); open = true; }
    else { if (stepped) g.lineTo(x(p[0]), lastY); g.lineTo(x(p[0]), y(p[index])); }
    lastY = y(p[index]);
  }
  g.stroke(); g.setLineDash([]);
}
window.addEventListener('resize', () => { if (!$('view-cook').hidden) drawChart(); });

// ---------- sound: one tap allows it; a beep repeats while the station waits ----------
function askForSound() {
  if (!state.soundOn) setMessage('Tap “Sound off” at the top so the station can call you.', false);
}
$('sound').addEventListener('click', () => {
  state.soundOn = !state.soundOn;
  if (state.soundOn && !state.audio) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context) state.audio = new Context();
  }
  if (state.audio && state.audio.state === 'suspended') state.audio.resume();
  $('sound').textContent = state.soundOn ? 'Sound on' : 'Sound off: tap to enable';
  $('sound').setAttribute('aria-pressed', String(state.soundOn));
  if (state.soundOn) beep();
});
function beep() {
  if (!state.soundOn || !state.audio) return;
  const a = state.audio, now = a.currentTime;
  for (let i = 0; i < 3; i++) {
    const o = a.createOscillator(), v = a.createGain();
    o.frequency.value = 880; o.connect(v); v.connect(a.destination);
    v.gain.setValueAtTime(0.0001, now + i * 0.3);
    v.gain.exponentialRampToValueAtTime(0.4, now + i * 0.3 + 0.02);
    v.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.3 + 0.2);
    o.start(now + i * 0.3); o.stop(now + i * 0.3 + 0.22);
  }
}
function setAlarm(on) {
  if (on && !state.beepTimer) { beep(); state.beepTimer = setInterval(beep, 6000); }
  if (!on && state.beepTimer) { clearInterval(state.beepTimer); state.beepTimer = null; }
}

// ---------- actions ----------
async function post(path, body) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}), credentials: 'same-origin' });
  } catch (error) {
    return { ok: false, status: 0, data: { error: 'wokweb cannot be reached' } };
  }
  let data = {};
  try { data = await response.json(); } catch (error) { data = { error: 'HTTP ' + response.status }; }
  return { ok: response.ok, status: response.status, data };
}
async function act(verb, body, label) {
  setMessage(label + '…', false);
  const result = await post('/api/' + verb, body);
  if (result.ok) { setMessage(label + ': done', false); if (result.data.snapshot) { state.snapshot = result.data.snapshot; render(); } return true; }
  if (result.status === 403 && /not paired/.test(result.data.error || '')) openPairing();
  setMessage(label + ': ' + (result.data.error || 'refused'), true);
  return false;
}
$('do-next').addEventListener('click', () => act('next', {}, 'Next'));
$('do-hold').addEventListener('click', () => {
  const s = state.snapshot;
  const resume = s && (s.state === 'holding' || (s.state === 'idle' && s.interrupted));
  act(resume ? 'resume' : 'hold', {}, resume ? 'Resume' : 'Hold');
});
$('do-extend').addEventListener('click', () => act('extend', { seconds: 60 }, '+1 min'));
$('do-ack').addEventListener('click', () => act('ack', {}, 'Acknowledge'));
$('do-abort').addEventListener('click', () => $('abort-dialog').showModal());
$('abort-no').addEventListener('click', () => $('abort-dialog').close());
$('abort-yes').addEventListener('click', () => { $('abort-dialog').close(); act('abort', {}, 'Abort'); });

// ---------- pairing ----------
function openPairing() { $('pair-message').textContent = ''; $('pair-dialog').showModal(); }
$('pair-cancel').addEventListener('click', () => $('pair-dialog').close());
$('pair-send').addEventListener('click', async () => {
  const code = $('pair-code').value.trim();
  if (!/^[0-9]{6}$/.test(code)) { $('pair-message').textContent = 'The code is six digits.'; return; }
  const result = await post('/api/pair', { code });
  if (result.ok) { $('pair-dialog').close(); setMessage('This browser is paired.', false); }
  else $('pair-message').textContent = result.data.error || 'refused';
});

// ---------- recipes ----------
async function getJSON(path) {
  const response = await fetch(path, { credentials: 'same-origin' });
  let data = null;
  try { data = await response.json(); } catch (error) { data = null; }
  if (!response.ok) throw new Error((data && data.error) || ('HTTP ' + response.status));
  return data;
}
function minutes(seconds) { return seconds === null || seconds === undefined ? 'time unknown' : 'about ' + clock(seconds) + ' min'; }
async function loadRecipes() {
  const list = $('recipes'), status = $('recipes-status');
  status.textContent = 'Loading recipes (timing each on this station takes a moment)…';
  try {
    const recipes = await getJSON('/api/recipes');
    list.replaceChildren();
    for (const recipe of recipes) {
      const item = el('li');
      item.append(el('h3', recipe.title || recipe.name));
      if (!recipe.valid) { item.append(el('p', 'This recipe has problems and cannot start.')); list.append(item); continue; }
      if (recipe.description) item.append(el('p', recipe.description));
      item.append(el('p', minutes(recipe.simulatedSeconds) + ' on this station · serves ' + recipe.serves + ' · ' + recipe.stages + ' stages'));
      const row = el('div', null, 'row');
      const view = el('button', 'View'); view.type = 'button';
      view.addEventListener('click', () => openRecipe(recipe.name));
      const start = el('button', 'Start', 'primary'); start.type = 'button';
      start.addEventListener('click', () => startCook(recipe.name, null));
      row.append(view, start);
      item.append(row);
      list.append(item);
    }
    status.textContent = recipes.length ? '' : 'No recipes found.';
  } catch (error) { status.textContent = 'Recipes cannot be loaded: ' + error.message; }
}
async function startCook(name, serves) {
  askForSound();
  const body = { recipe: name };
  if (serves) body.serves = serves;
  show('cook');
  await act('start', body, 'Start');
}
let shownRecipe = null;
async function openRecipe(name) {
  show('recipe');
  shownRecipe = name;
  $('recipe-title').textContent = name;
  $('recipe-description').textContent = 'Loading…';
  $('recipe-facts').textContent = '';
  $('recipe-stages').replaceChildren();
  try {
    const recipe = await getJSON('/api/recipes/' + encodeURIComponent(name));
    $('recipe-title').textContent = recipe.name;
    $('recipe-description').textContent = recipe.description || '';
    $('recipe-facts').textContent = 'Serves ' + recipe.serves + ' · ' + minutes(recipe.simulatedSeconds) + ' on this station (simulated)';
    $('recipe-serves').value = recipe.serves;
    for (const stage of recipe.stages) {
      const item = el('li');
      const heat = stage.targetC === null ? 'burner off' : celsius(stage.targetC) + ' °C (' + stage.heat + ')';
      item.append(el('strong', stage.name), el('span', ' · ' + heat + ' · ' + timing(stage), 'detail'));
      for (const food of stage.add || []) item.append(el('div', '+ ' + Math.round(food.grams) + ' g ' + food.name));
      if (stage.prompt) item.append(el('div', stage.prompt, 'detail'));
      $('recipe-stages').append(item);
    }
  } catch (error) { $('recipe-description').textContent = 'This recipe cannot be loaded: ' + error.message; }
}
function timing(stage) {
  if (stage.advance === 'time') return (stage.seconds || 0) + ' s' + (stage.timer === 'reached' ? ' once hot' : '');
  if (stage.advance === 'reached') return 'until the wok is at temperature';
  return 'until you confirm' + (stage.minSeconds ? ' (at least ' + stage.minSeconds + ' s)' : '');
}
$('recipe-start').addEventListener('click', () => {
  const serves = parseInt($('recipe-serves').value, 10);
  if (shownRecipe) startCook(shownRecipe, Number.isFinite(serves) ? serves : null);
});

// ---------- history ----------
async function loadHistory() {
  const list = $('cooks'), status = $('history-status');
  status.textContent = 'Loading…';
  try {
    const cooks = await getJSON('/api/history');
    list.replaceChildren();
    for (const cook of cooks) {
      const item = el('li');
      const when = new Date(cook.startedAtUnixSeconds * 1000);
      item.append(el('h3', '#' + cook.id + ' ' + cook.recipe));
      item.append(el('p', when.toLocaleString() + ' · ' + cook.outcome + (cook.durationSeconds ? ' · ' + clock(cook.durationSeconds) : '')));
      if (cook.reason) item.append(el('p', cook.reason));
      const button = el('button', 'Plot'); button.type = 'button';
      button.addEventListener('click', () => {
        $('plot').src = '/api/history/' + encodeURIComponent(cook.id) + '/plot.svg';
        $('plot').alt = 'Plot of cook ' + cook.id;
        $('plot-caption').textContent = 'Cook #' + cook.id + ': ' + cook.recipe;
        $('plot-figure').hidden = false;
        $('plot-figure').scrollIntoView();
      });
      item.append(button);
      list.append(item);
    }
    status.textContent = cooks.length ? '' : 'No cooks yet.';
  } catch (error) { status.textContent = 'The history cannot be read: ' + error.message; }
}

// ---------- keys, as in `wokctl watch` ----------
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return;
  if ($('view-cook').hidden) return;
  const keys = { n: 'do-next', h: 'do-hold', e: 'do-extend', a: 'do-abort' };
  const id = keys[e.key];
  if (id && !$(id).disabled) { e.preventDefault(); $(id).click(); }
});

connect();
