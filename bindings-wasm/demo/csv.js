// CSV files → the same records the CLI reads (see cli/src/input.rs for the
// column formats), so every check on them is the engine's, word for word.
// Cells that are not what a column expects are passed on as text: the engine
// then names the field and what it should have been.

/** Splits CSV text into rows of cells (RFC 4180: quotes, doubled quotes, newlines in quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"' && cell === "") {
      quoted = true;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

/** A number when the cell is one, else the text (so the engine's type error names it). */
function number(cell) {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : cell;
}

function boolean(cell) {
  const c = cell.toLowerCase();
  if (["true", "1", "yes", "ja"].includes(c)) return true;
  if (["false", "0", "no", "nee"].includes(c)) return false;
  return cell;
}

function list(cell) {
  return cell.split(";").map((s) => s.trim()).filter(Boolean);
}

function skills(cell) {
  return list(cell).map((item) => {
    const at = item.lastIndexOf(":");
    return at < 0 ? { label: item } : { label: item.slice(0, at).trim(), level: number(item.slice(at + 1).trim()) };
  });
}

function needs(cell) {
  return list(cell).map((item) => {
    const parts = item.split(":");
    const need = {};
    const last = parts[parts.length - 1].trim();
    if (parts.length > 1 && ["required", "true", "false"].includes(last)) {
      parts.pop();
      need.required = last !== "false";
    }
    const numbers = [];
    while (parts.length > 1 && numbers.length < 2 && parts[parts.length - 1].trim() !== "" && !Number.isNaN(Number(parts[parts.length - 1].trim()))) {
      numbers.unshift(parts.pop().trim());
    }
    if (numbers[0] !== undefined) need.weight = number(numbers[0]);
    if (numbers[1] !== undefined) need.min_level = number(numbers[1]);
    need.label = parts.join(":").trim();
    return need;
  });
}

const NUMBERS = new Set(["max_initiatives", "hours_per_month", "max_distance_km", "experts_wanted", "hours_needed"]);

/** CSV text → expert (`kind = "experts"`) or initiative records. */
export function csvRecords(text, kind) {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return rows.map((row, r) => {
    if (row.length !== names.length) {
      throw new Error(`regel ${r + 2}: ${row.length} cellen, de kop heeft er ${names.length}`);
    }
    const record = {};
    const location = {};
    names.forEach((name, c) => {
      const cell = row[c].trim();
      if (cell === "") return;
      if (name === "lat" || name === "lon") location[name] = number(cell);
      else if (kind === "experts" && (name === "municipalities" || name === "languages")) record[name] = list(cell);
      else if (kind === "experts" && name === "skills") record.skills = skills(cell);
      else if (kind === "initiatives" && name === "needs") record.needs = needs(cell);
      else if (name === "remote") record.remote = boolean(cell);
      else if (NUMBERS.has(name)) record[name] = number(cell);
      else record[name] = cell;
    });
    if (Object.keys(location).length > 0) record.location = location;
    return record;
  });
}
