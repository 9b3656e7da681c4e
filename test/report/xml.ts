/**
 * A minimal XML well-formedness check for the report's SVG/HTML output (test helper): tags nest
 * and close, attributes are quoted, `&` starts a known entity, no `<` inside text. Returns the
 * problem or null. Not a full XML parser; enough to catch broken markup from string building.
 */
export function xmlProblem(text: string): string | null {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^>]*\?>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const textOk = (t: string): string | null => {
    if (t.includes("<") || t.includes(">")) return `stray angle bracket in text: ${JSON.stringify(t.slice(0, 60))}`;
    const amp = t.match(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
    return amp ? `bare & in text: ${JSON.stringify(t.slice(0, 60))}` : null;
  };
  while ((m = re.exec(text)) !== null) {
    const p = textOk(text.slice(last, m.index));
    if (p) return p;
    last = re.lastIndex;
    if (m[2] === undefined) continue; // declaration
    const attrs = m[3] ?? "";
    const ap = textOk(attrs.replace(/"[^"]*"/g, (v) => v.replace(/[<>]/g, "")));
    if (ap) return `in attributes of <${m[2]}>: ${ap}`;
    if (m[1] === "/") {
      const open = stack.pop();
      if (open !== m[2]) return `</${m[2]}> closes <${open ?? "nothing"}>`;
    } else if (m[4] !== "/" && !["meta", "br", "hr", "img", "link", "input"].includes(m[2].toLowerCase())) stack.push(m[2]);
  }
  const p = textOk(text.slice(last));
  if (p) return p;
  return stack.length ? `unclosed <${stack[stack.length - 1]}>` : null;
}
