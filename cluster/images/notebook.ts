/**
 * spark-platform/notebook:4.1.0: JupyterLab for a Spark Connect release's data-science
 * clients (components/notebook). pyspark-client with the pins of the pyspark-client image,
 * and JupyterLab, nbconvert and ipykernel with every dependency pinned (resolved together
 * with those pins, so one install satisfies both); uid 185, like the other stand-ins.
 *
 * pip's `--target` install leaves console scripts with the host interpreter's shebang and
 * JupyterLab's static files outside `sys.prefix`: the image runs `python3 -m <module>`
 * and names the data directories in JUPYTER_PATH and JUPYTERLAB_DIR.
 */
import type { Base } from "./base";
import type { BuiltImage, Ctx } from "./image";
import { PYSPARK_CLIENT_REQUIREMENTS } from "./pysparkClient";
import { CLIENT_SITE, pythonClientImage } from "./pythonClientImage";

export const NOTEBOOK_REF = "spark-platform/notebook:4.1.0";

/** JupyterLab and what it needs besides pyspark-client's own pins. */
export const JUPYTER_REQUIREMENTS = [
  "anyio==4.14.2",
  "argon2-cffi==25.1.0",
  "argon2-cffi-bindings==26.2.0",
  "arrow==1.4.0",
  "asttokens==3.0.2",
  "async-lru==2.4.0",
  "attrs==26.1.0",
  "babel==2.19.0",
  "beautifulsoup4==4.15.0",
  "bleach==6.4.0",
  "certifi==2026.10.19.post1",
  "cffi==2.1.1",
  "charset-normalizer==3.5.3",
  "comm==0.2.3",
  "debugpy==1.8.22",
  "defusedxml==0.7.1",
  "executing==2.3.0",
  "fastjsonschema==2.22.3",
  "fqdn==1.6.0",
  "h11==0.16.0",
  "httpcore==1.0.9",
  "httpx==0.29.0",
  "idna==3.21",
  "ipykernel==7.4.0",
  "ipython==9.19.1",
  "ipython_pygments_lexers==1.1.1",
  "isoduration==20.11.0",
  "jedi==0.20.1",
  "Jinja2==3.1.6",
  "json5==0.17.3",
  "jsonpointer==3.12",
  "jsonschema==4.26.0",
  "jsonschema-specifications==2025.9.1",
  "jupyter-events==0.12.1",
  "jupyter-lsp==2.3.1",
  "jupyter_client==8.10.0",
  "jupyter_core==5.9.1",
  "jupyter_server==2.21.1",
  "jupyter_server_terminals==0.5.4",
  "jupyterlab==4.5.0",
  "jupyterlab_pygments==0.3.0",
  "jupyterlab_server==2.28.1",
  "lark==1.3.1",
  "MarkupSafe==3.0.4",
  "matplotlib-inline==0.2.2",
  "mistune==3.4.0",
  "nbclient==0.11.0",
  "nbconvert==7.17.2",
  "nbformat==5.11.1",
  "nest-asyncio2==1.7.4",
  "notebook_shim==0.2.4",
  "overrides==7.7.0",
  "packaging==26.4",
  "pandocfilters==1.5.1",
  "parso==0.8.7",
  "pexpect==4.9.0",
  "platformdirs==4.14.9",
  "prometheus_client==0.26.0",
  "prompt_toolkit==3.0.53",
  "psutil==7.2.2",
  "ptyprocess==0.7.0",
  "pure_eval==0.2.4",
  "pycparser==3.12",
  "Pygments==2.21.0",
  "python-json-logger==4.2.0",
  "pyzmq==27.3.0",
  "referencing==0.37.0",
  "requests==2.34.2",
  "rfc3339-validator==0.1.4",
  "rfc3986-validator==0.1.1",
  "rfc3987-syntax==1.1.0",
  "rpds-py==2026.9.1",
  "Send2Trash==2.2.0",
  "setuptools==84.2.1",
  "soupsieve==4.1.4",
  "stack-data==0.6.3",
  "terminado==0.18.1",
  "tinycss2==1.5.1",
  "tornado==6.6.1",
  "traitlets==5.16.1",
  "uri-template==1.3.0",
  "urllib3==2.8.0",
  "wcwidth==0.9.5",
  "webcolors==25.10.0",
  "webencodings==0.6.1",
  "websocket-client==1.9.2",
] as const;

export const NOTEBOOK_REQUIREMENTS = [...PYSPARK_CLIENT_REQUIREMENTS, ...JUPYTER_REQUIREMENTS];

/** Where the `--target` install puts Jupyter's data files (kernelspecs, JupyterLab's assets). */
export const NOTEBOOK_JUPYTER_DATA = `${CLIENT_SITE}/share/jupyter`;

export async function notebookImage(ctx: Ctx, base: Base): Promise<BuiltImage> {
  return pythonClientImage(ctx, base, {
    name: "notebook-4.1.0",
    ref: NOTEBOOK_REF,
    requirements: NOTEBOOK_REQUIREMENTS,
    revision: 1,
    env: [`JUPYTER_PATH=${NOTEBOOK_JUPYTER_DATA}`, `JUPYTERLAB_DIR=${NOTEBOOK_JUPYTER_DATA}/lab`],
    cmd: ["python3", "-m", "jupyterlab", "--no-browser"],
    standIn: "JupyterLab 4.5.0 with pyspark-client 4.1.0 (no upstream)",
  });
}
