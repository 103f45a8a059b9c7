// The README's JavaScript examples, run against the built package.
const test = require("node:test");
const fs = require("node:fs");
const path = require("node:path");

const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const pkg = require("../pkg/node/index.js");

test("the README has JavaScript examples", () => {
  if (blocks.length === 0) throw new Error("no ```js block in README.md");
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    const sandboxRequire = (name) => (name === "participatienetwerk" ? pkg : require(name));
    // Same realm as the package, so arrays it returns compare as arrays.
    new Function("require", "console", code)(sandboxRequire, console);
  });
});
