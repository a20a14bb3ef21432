"""A PyMC model as machine code: compiled once, kept on disk, sampled by nutpie's core.

nutpie turns a ``pm.Model`` into two numba C callbacks (the log density with its
gradient, and the expansion into the stored variables) that its Rust sampler calls
without Python. Compiling them takes most of a minute and numba cannot cache them, so
:class:`NativeModel` keeps their object code (``numba``'s own cache format, checked to
hold no process-bound addresses) with what the sampler needs to call them. Saved to
disk (:func:`save`), a later process loads it (:func:`load`) in a tenth of a second,
importing numba but neither PyMC, PyTensor nor ArviZ; any change to the model's source,
to the libraries or to the CPU makes the file's name differ, so a stale file is never
read (:func:`fingerprint`).

:func:`sample` drives nutpie's sampler (its ``_lib`` extension, loaded without the
``nutpie`` package, whose ``__init__`` imports ArviZ, pandas and PyArrow) and returns
NumPy draws; a freshly compiled model and a loaded one run the same code and give the
same draws for the same seed.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.metadata
import importlib.util
import io
import json
import os
import platform
import sys
import threading
import zipfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis.atomic import write_atomically

#: Bumped whenever what :func:`save` writes changes meaning.
FORMAT = 1
#: Where compiled models are kept (default: inside the virtual environment, which holds
#: the libraries they were compiled against).
STORE_VARIABLE = "ACH_MODEL_STORE"
#: The files whose text defines the models (a change to any makes every stored model stale).
SOURCES = ("model.py", "pool.py", "native.py")
LIBRARIES = ("nutpie", "numba", "llvmlite", "pymc", "pytensor", "numpy")
_CORE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Callback:
    """One compiled C callback: its code library (kept alive), entry name and address;
    ``state`` is the library as numba serialises it, when it was loaded from that."""

    library: Any
    name: str
    address: int
    state: tuple | None = field(default=None, repr=False)

    def serialised(self) -> tuple:
        return self.state or self.library.serialize_using_object_code()


@dataclass(frozen=True)
class NativeModel:
    """Everything nutpie's sampler needs to run a compiled PyMC model."""

    logp: Callback
    expand: Callback
    n_dim: int
    n_expanded: int
    #: the stored variables, in the expansion's order, and their shapes
    names: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]
    #: the model's data: the values it was compiled with (dtype and rank are fixed)
    data: dict[str, np.ndarray]
    user_data_dtype: np.dtype
    #: the unconstrained point sampling starts from (before the seeded jitter)
    start: np.ndarray
    libraries: tuple[Any, ...] = field(default=(), repr=False)


def from_pymc(model, names: tuple[str, ...]) -> NativeModel:
    """Compile ``model`` (a ``pm.Model``) with nutpie, storing the variables ``names``."""
    import nutpie
    from pymc.initial_point import make_initial_point_fn

    compiled = nutpie.compile_pymc_model(model, var_names=list(names))
    all_names, _, all_shapes = compiled.shape_info
    point = make_initial_point_fn(model=model, jitter_rvs=set(), return_transformed=True)(0)
    free = [model.rvs_to_values[rv].name for rv in model.free_RVs]
    start = np.concatenate([np.ravel(point[name]) for name in free]).astype(float)
    return NativeModel(
        logp=_callback(compiled.compiled_logp_func),
        expand=_callback(compiled.compiled_expand_func),
        n_dim=int(compiled.n_dim),
        n_expanded=int(compiled.n_expanded),
        names=tuple(str(n) for n in all_names),
        shapes=tuple(tuple(int(s) for s in shape) for shape in all_shapes),
        data={name: np.array(v) for name, v in compiled.shared_data.items()},
        user_data_dtype=compiled.user_data.dtype,
        start=start,
        libraries=(compiled,),
    )


def _callback(cfunc) -> Callback:
    return Callback(cfunc._library, cfunc.native_name, cfunc.address)


# -- the store on disk -------------------------------------------------------------------


def store_dir() -> Path:
    """The folder compiled models are kept in: ``$ACH_MODEL_STORE``, else ``.venv/ach-models``."""
    return Path(os.environ.get(STORE_VARIABLE) or Path(sys.prefix) / "ach-models")


def fingerprint(key: Hashable) -> str:
    """A name for ``key``'s compiled model that changes with anything the code depends on:
    the model's source, the library versions, Python, the CPU."""
    import llvmlite.binding as llvm

    digest = hashlib.sha256(f"{FORMAT}\n{key!r}\n{sys.version}\n".encode())
    here = Path(__file__).resolve().parent
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={importlib.metadata.version(name)}\n".encode())
    cpu = (
        f"{platform.machine()} {llvm.get_host_cpu_name()} {llvm.get_host_cpu_features().flatten()}"
    )
    digest.update(cpu.encode())
    return digest.hexdigest()[:32]


def path_for(key: Hashable) -> Path:
    return store_dir() / f"{fingerprint(key)}.npz"


def save(native: NativeModel, path: Path) -> bool:
    """Write ``native`` to ``path`` atomically; False (and nothing written) if the folder
    cannot be written (a read-only install still runs, compiling in each process)."""
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {
        "format": FORMAT,
        "n_dim": native.n_dim,
        "n_expanded": native.n_expanded,
        "names": list(native.names),
        "shapes": [list(s) for s in native.shapes],
        "data": list(native.data),
    }
    for part, callback in (("logp", native.logp), ("expand", native.expand)):
        name, kind, (code, bitcode) = callback.serialised()
        meta[part] = {"library": name, "kind": kind, "entry": callback.name}
        arrays[f"{part}_code"] = np.frombuffer(code, dtype=np.uint8)
        arrays[f"{part}_bitcode"] = np.frombuffer(bitcode, dtype=np.uint8)
    for name, value in native.data.items():
        arrays[f"data_{name}"] = value
    arrays["user_data"] = np.zeros((), dtype=native.user_data_dtype)
    arrays["start"] = native.start
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, buffer.getvalue())
    except OSError:
        return False
    return True


def load(path: Path) -> NativeModel | None:
    """The model saved at ``path``, or None if there is none or it cannot be read."""
    try:
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        meta = json.loads(arrays["meta"].tobytes())
        if meta.get("format") != FORMAT:
            return None
        from numba.core.registry import cpu_target
        from numba.core.runtime import rtsys

        context = cpu_target.target_context
        rtsys.initialize(context)  # numba's runtime (NRT), which the compiled code calls
        codegen = context.codegen()
        callbacks = {}
        for part in ("logp", "expand"):
            info = meta[part]
            state = (
                info["library"],
                info["kind"],
                (arrays[f"{part}_code"].tobytes(), arrays[f"{part}_bitcode"].tobytes()),
            )
            library = codegen.unserialize_library(state)
            entry = info["entry"]
            address = library.get_pointer_to_function(entry)
            callbacks[part] = Callback(library, entry, address, state)
        return NativeModel(
            logp=callbacks["logp"],
            expand=callbacks["expand"],
            n_dim=int(meta["n_dim"]),
            n_expanded=int(meta["n_expanded"]),
            names=tuple(meta["names"]),
            shapes=tuple(tuple(s) for s in meta["shapes"]),
            data={name: arrays[f"data_{name}"] for name in meta["data"]},
            user_data_dtype=arrays["user_data"].dtype,
            start=arrays["start"],
        )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError):
        return None


# -- sampling ----------------------------------------------------------------------------


def nutpie_core():
    """nutpie's compiled extension ``nutpie._lib``, imported without running the package's
    ``__init__`` (which imports ArviZ, pandas and PyArrow: seconds this path never needs);
    a later ``import nutpie`` finds and reuses it."""
    with _CORE_LOCK:  # an extension module may be initialised once per process
        found = sys.modules.get("nutpie._lib")
        if found is None:
            found = sys.modules["nutpie._lib"] = _load_core()
    return found


def _load_core():
    package = importlib.util.find_spec("nutpie")
    if package is None or not package.submodule_search_locations:
        raise ImportError("nutpie is not installed")
    folder = Path(next(iter(package.submodule_search_locations)))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = folder / f"_lib{suffix}"
        if candidate.exists():
            break
    else:
        raise ImportError(f"nutpie's extension _lib is not in {folder}")
    loader = importlib.machinery.ExtensionFileLoader("nutpie._lib", str(candidate))
    spec = importlib.util.spec_from_loader("nutpie._lib", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def bind(native: NativeModel, inputs: dict[str, np.ndarray]) -> tuple[dict, np.ndarray]:
    """The model's data arrays from ``inputs`` (each cast to its compiled dtype; a name
    not in ``inputs`` keeps its compiled value) and the record of their addresses that
    the callbacks read."""
    data = {}
    for name, template in native.data.items():
        value = np.array(inputs.get(name, template), dtype=template.dtype, order="C", copy=True)
        if value.ndim != template.ndim:
            raise ValueError(f"data {name!r} must have rank {template.ndim}, not {value.ndim}")
        value.flags.writeable = False
        data[name] = value
    record = np.zeros((), dtype=native.user_data_dtype)
    shared = record[()]["shared"]
    for name, value in data.items():
        shared["data"][name] = value.ctypes.data
        shared["size"][name] = value.size
        shared["shape"][name] = value.shape
    return data, np.asarray(record)


def sample(
    native: NativeModel,
    inputs: dict[str, np.ndarray],
    *,
    draws: int,
    chains: int,
    tune: int,
    seed: int,
    target_accept: float | None = None,
) -> dict[str, np.ndarray]:
    """Sample ``native`` fed ``inputs`` with nutpie's NUTS (diagonal mass matrix, one
    chain per core; ``target_accept`` the step size adaptation's goal, nutpie's 0.8 if
    None); the draws ``(chains, draws, *shape)`` of every stored variable."""
    lib = nutpie_core()
    data, record = bind(native, inputs)
    keep = (native, data, record)  # alive while the sampler reads them
    address = record.ctypes.data
    logp = lib.LogpFunc(native.logp.address, address, keep)
    expand = lib.ExpandFunc(native.n_dim, native.n_expanded, native.expand.address, address, keep)
    names, shapes = list(native.names), [list(s) for s in native.shapes]
    dims = {
        name: [f"{name}_dim_{i}" for i in range(len(s))]
        for name, s in zip(names, shapes, strict=True)
    }
    sizes = {
        dim: n
        for name, s in zip(names, shapes, strict=True)
        for dim, n in zip(dims[name], s, strict=True)
    }
    variables = lib.PyVariable.new_variables(names, ["float64"] * len(names), shapes, sizes, dims)

    def start(chain_seed: int) -> np.ndarray:
        jitter = np.random.default_rng(chain_seed).uniform(-1.0, 1.0, native.n_dim)
        return native.start + jitter

    def no_adapter(*args, **kwargs):
        raise ValueError("this model is sampled with a diagonal mass matrix only")

    model = lib.PyMcModel(logp, expand, variables, native.n_dim, sizes, {}, start, no_adapter)
    settings = lib.PyNutsSettings.Diag(seed)
    settings.num_tune, settings.num_draws, settings.num_chains = tune, draws, chains
    if target_accept is not None:
        settings.target_accept = target_accept
    cores = max(1, min(chains, os.cpu_count() or 1))
    sampler = lib.PySampler.from_pymc(
        settings, cores, model, lib.ProgressType.none(), lib.PyStorage.arrow()
    )
    try:
        sampler.wait(None)
    except BaseException:
        sampler.abort()
        raise
    draw_batches, stat_batches = sampler.take_results().get_arrow_trace()
    return _draws(native, draw_batches, stat_batches)


def _draws(native: NativeModel, draw_batches, stat_batches) -> dict[str, np.ndarray]:
    """The draws after tuning, ``(chains, draws, *shape)``, from nutpie's Arrow batches
    (one per chain; each variable a list column of float64)."""
    import pyarrow

    found: dict[str, np.ndarray] = {}
    chains = len(draw_batches)
    for chain, (batch, stats) in enumerate(zip(draw_batches, stat_batches, strict=True)):
        tuning = sum(stats.column("tuning").to_pylist())
        for name, shape in zip(native.names, native.shapes, strict=True):
            values = pyarrow.array(batch.column(name)).flatten()
            if values.null_count or values.type != pyarrow.float64():
                raise ValueError(f"nutpie returned unexpected draws of {name}: {values.type}")
            # read the buffer directly: pyarrow's to_numpy imports pandas (half a second)
            flat = np.frombuffer(values.buffers()[1], dtype=np.float64)
            kept = flat[values.offset : values.offset + len(values)].reshape(-1, *shape)[tuning:]
            if name not in found:  # the chains' draws are copied once, into their places
                found[name] = np.empty((chains, *kept.shape))
            if kept.shape != found[name].shape[1:]:
                raise ValueError(f"nutpie returned chains of unequal length for {name}")
            found[name][chain] = kept
    return found
