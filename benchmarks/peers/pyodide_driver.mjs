// Runs Molt's benchmark kernels under Pyodide in Node, for benchmarks/_pyodide.py.
//
// Reads one JSON job on stdin:
//   {"kernels": [{"name", "source", "fn", "warmup", "size", "samples"}]}
// loads Pyodide (timing the load in this process), writes each kernel's Molt
// source into Pyodide's file system beside a one-line `molt` shim (`export` is
// a no-op decorator, as under CPython), and times the kernel inside Python with
// time.perf_counter, so the JS-to-Python crossing is not counted. Prints one
// JSON object on stdout: Pyodide's version, its Python's version, the load time,
// per kernel the first (warm-up) call's time and result, and the result and
// times of the timed samples.
import { loadPyodide, version } from "pyodide";
import { readFileSync } from "node:fs";

const job = JSON.parse(readFileSync(0, "utf8"));
const started = performance.now();
const pyodide = await loadPyodide();
const loadSeconds = (performance.now() - started) / 1000;

const folder = "/home/pyodide/molt_kernels";
pyodide.FS.mkdirTree(folder);
pyodide.FS.writeFile(`${folder}/molt.py`, "def export(function):\n    return function\n");
for (const kernel of job.kernels) {
  pyodide.FS.writeFile(`${folder}/${kernel.name}.py`, kernel.source);
}

const harness = `
import importlib, json, sys, time
sys.path.insert(0, ${JSON.stringify(folder)})

def run_kernel(job):
    function = getattr(importlib.import_module(job["name"]), job["fn"])
    first_started = time.perf_counter()
    first_result = function(job["warmup"])
    first = time.perf_counter() - first_started
    times = []
    result = None
    for _ in range(job["samples"]):
        started = time.perf_counter()
        result = function(job["size"])
        times.append(time.perf_counter() - started)
    return {"result": result, "times": times, "first_call": first, "first_result": first_result}

json.dumps({
    "python": sys.version.split()[0],
    "kernels": {job["name"]: run_kernel(job) for job in json.loads(${JSON.stringify(JSON.stringify(job.kernels))})},
})
`;
const measured = JSON.parse(pyodide.runPython(harness));
process.stdout.write(
  JSON.stringify({ pyodide: version, load_seconds: loadSeconds, ...measured }) + "\n",
);
