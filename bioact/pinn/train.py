"""Training a PINN: Adam (optax) then L-BFGS (optax, zoom line search), one compiled program.

Loss: ``mean_i r(x_i)^2 + bc_weight * sum_soft_ends (alpha u + beta u' - value)^2`` with
``r = residual(x, u, u', u'')`` on the collocation points. The two phases are two
``lax.scan`` loops inside ONE jitted function, so a run compiles once (compile and run times
are measured separately with ``jit(...).lower(...).compile()``) and the compiled program is
cached for the same network shape, problem structure and settings: new problem parameter
values, learning rate, offset or seed do not recompile.

>>> from bioact.pinn import load_problem, train, PINNConfig
>>> result = train(load_problem("poisson_sin")[0], PINNConfig(seed=0))  # doctest: +SKIP
>>> result.metrics["rel_l2"] < 1e-6  # doctest: +SKIP
True
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.flatten_util import ravel_pytree

from bioact.errors import ConvergenceError
from bioact.pinn.network import (
    MLP,
    bubble,
    check_activation,
    derivatives,
    hard_ends,
    make_network,
    solution,
)
from bioact.pinn.problem import AbstractBVP
from bioact.pinn.reference import error_metrics, reference_solution

__all__ = ["PINNConfig", "PINNResult", "train"]

_COLLOCATION = ("uniform", "sobol", "random")


@dataclasses.dataclass(frozen=True)
class PINNConfig:
    """Settings of one PINN run (defaults reach rel L2 ~4e-7 on ``poisson_sin`` in seconds).

    Attributes:
        activation: registry name (``bioact.activations.names()``); below C^2 needs
            ``allow_nonsmooth=True``.
        width, depth: hidden units per layer, hidden layers (default 2 x 32).
        n_collocation: residual points (default 64).
        collocation: ``"uniform"`` (equispaced incl. ends), ``"sobol"`` (scrambled Sobol,
            seeded) or ``"random"`` (fresh uniform draw every Adam step; the L-BFGS phase, which
            needs a fixed objective for its line search, uses the uniform grid).
        adam_steps, adam_lr: Adam phase (default 500 steps at 5e-3, cosine-decayed to 5e-5).
        lbfgs_steps, lbfgs_memory: L-BFGS phase (default 2000 loss evaluations incl. line
            search, memory 30; stops early when the gradient norm falls below ``gtol`` or the
            line search fails).
        hard_bc: impose Dirichlet ends exactly by the output transform (default) or as
            penalties; Neumann/Robin ends are always penalties.
        fourier_features, fourier_sigma: ``m`` random Fourier features, ``B ~ N(0, sigma^2)``.
        bc_weight: weight of the boundary penalty terms.
        offset: initial-guess offset ``u = ... + d(x)(N + offset)`` (selects a Bratu branch);
            when nonzero the output layer starts at zero, so training starts exactly from
            ``offset * d(x)``.
        anchor: weight of ``(u(centre) - offset)^2`` added to the loss during the Adam phase
            only (a continuation step that keeps training near the offset's branch; 0 = off).
        n_eval: points of the dense evaluation grid (metrics, error history).
        seed: initialises the network, Fourier features and collocation points.
        gtol: L-BFGS stops when the gradient norm is below this.
    """

    activation: str = "tanh"
    width: int = 32
    depth: int = 2
    n_collocation: int = 64
    collocation: str = "uniform"
    adam_steps: int = 500
    adam_lr: float = 5e-3
    lbfgs_steps: int = 2000
    lbfgs_memory: int = 30
    hard_bc: bool = True
    fourier_features: int = 0
    fourier_sigma: float = 1.0
    bc_weight: float = 1.0
    offset: float = 0.0
    anchor: float = 0.0
    n_eval: int = 1001
    seed: int = 0
    gtol: float = 1e-13
    allow_nonsmooth: bool = False

    def __post_init__(self):
        if self.collocation not in _COLLOCATION:
            raise ValueError(
                f"collocation must be one of {_COLLOCATION}, got collocation={self.collocation!r}"
            )
        for name in ("n_collocation", "n_eval"):
            if int(getattr(self, name)) < 2:
                raise ValueError(f"{name} must be >= 2, got {name}={getattr(self, name)!r}")
        for name in ("adam_steps", "lbfgs_steps"):
            if int(getattr(self, name)) < 0:
                raise ValueError(f"{name} must be >= 0, got {name}={getattr(self, name)!r}")
        if int(self.lbfgs_memory) < 1:
            raise ValueError(f"lbfgs_memory must be >= 1, got lbfgs_memory={self.lbfgs_memory!r}")
        for name in ("adam_lr", "bc_weight"):
            if not float(getattr(self, name)) > 0:
                raise ValueError(f"{name} must be > 0, got {name}={getattr(self, name)!r}")

    def replace(self, **changes: Any) -> PINNConfig:
        """A copy with ``changes`` (unknown names raise ``ValueError``)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown PINN setting(s) {sorted(unknown)}")
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass
class PINNResult:
    """Outcome of :func:`train`: the trained network, dense-grid results and histories.

    ``x, u, u_ref, residual`` are on the ``n_eval``-point grid; ``loss_history`` (loss at
    the current iterate) and ``error_history`` (its rel L2 error against the reference on that
    grid) have one entry per loss-gradient evaluation (Adam steps, then L-BFGS trial points);
    ``accepted`` marks the evaluations that moved the iterate (all Adam steps, accepted
    L-BFGS steps). ``metrics``: rel_l2, max_err, residual (RMS on the grid), loss,
    iterations (accepted steps), evaluations, compile_s, run_s, reference, reference_s,
    wall_s.
    """

    net: MLP
    problem: AbstractBVP
    config: PINNConfig
    x: np.ndarray
    u: np.ndarray
    u_ref: np.ndarray
    residual: np.ndarray
    loss_history: np.ndarray
    error_history: np.ndarray
    accepted: np.ndarray
    metrics: dict[str, Any]

    def __call__(self, x) -> np.ndarray:
        """The trained solution at the points ``x``."""
        xs = jnp.asarray(np.atleast_1d(np.asarray(x, dtype=float)))
        f = jax.vmap(
            lambda s: solution(self.net, self.problem, s, self.config.hard_bc, self.config.offset)
        )
        return np.asarray(f(xs))

    def time_to_accuracy(self, thresholds=(1e-3, 1e-4, 1e-5, 1e-6)) -> dict[float, float | None]:
        """Seconds (compile + run) until the rel L2 error first reaches each threshold, or None.

        Every scan step costs one loss-gradient evaluation, so run time is apportioned to the
        first step reaching the threshold by its index.
        """
        cum = np.arange(1, len(self.error_history) + 1) / max(len(self.error_history), 1)
        out = {}
        for thr in thresholds:
            hit = np.nonzero(self.error_history <= thr)[0]
            out[thr] = (
                None
                if hit.size == 0
                else self.metrics["compile_s"] + self.metrics["run_s"] * float(cum[hit[0]])
            )
        return out


def _collocation_points(problem: AbstractBVP, cfg: PINNConfig) -> np.ndarray:
    x0, x1 = float(problem.x0), float(problem.x1)
    if cfg.collocation == "sobol":
        from scipy.stats import qmc

        s = qmc.Sobol(d=1, scramble=True, seed=cfg.seed).random(
            2 ** int(np.ceil(np.log2(cfg.n_collocation)))
        )[: cfg.n_collocation, 0]
        return x0 + (x1 - x0) * np.sort(s)
    return np.linspace(x0, x1, cfg.n_collocation)


def _loss(params, static, problem, xs, hyper, cfg: PINNConfig, anchor_w=0.0):
    net = eqx.combine(params, static)
    u, du, d2u = derivatives(net, problem, xs, cfg.hard_bc, hyper["offset"])
    loss = jnp.mean(problem.residual(xs, u, du, d2u) ** 2)
    if cfg.anchor:  # Adam-phase continuation: pin u(centre) near the offset guess
        xc = 0.5 * (problem.x0 + problem.x1)
        uc = solution(net, problem, xc, cfg.hard_bc, hyper["offset"])
        loss = loss + anchor_w * (uc - hyper["offset"]) ** 2
    hard = hard_ends(problem, cfg.hard_bc)
    for is_hard, bc, xe in (
        (hard[0], problem.left, problem.x0),
        (hard[1], problem.right, problem.x1),
    ):
        if not is_hard:
            ue, due, _ = derivatives(
                net, problem, jnp.reshape(xe, (1,)), cfg.hard_bc, hyper["offset"]
            )
            loss = loss + hyper["bc_weight"] * bc.residual(ue[0], due[0]) ** 2
    return loss


def _fit(params, static, problem, data, hyper, cfg: PINNConfig):
    """Adam then L-BFGS as ONE ``lax.scan`` with one loss-gradient evaluation per step.

    Every scan step evaluates ``(loss, grad)`` once, at the current point (Adam phase), at
    the current point (first L-BFGS step) or at the line-search trial point (L-BFGS), then a
    ``lax.switch`` updates the state. The loss graph therefore appears once in the
    compiled program (compile time is dominated by it), instead of once per optimiser phase
    and line-search call site. L-BFGS: ``optax.scale_by_lbfgs`` gives the quasi-Newton
    direction; the step length comes from Armijo backtracking (``c1 = 1e-4``, halving from 1);
    a pair with ``s.y <= 0`` resets the memory (keeps the inverse-Hessian model positive
    definite without a Wolfe curvature search). Returns the final flat parameters, the
    per-step histories (loss at the accepted point, rel L2 error, accepted flag) and
    ``(u, u', u'')`` on the evaluation grid.
    """
    flat0, unravel = ravel_pytree(params)
    dtype = flat0.dtype

    def loss_fn(w, xs, anchor_w):
        return _loss(unravel(w), static, problem, xs, hyper, cfg, anchor_w)

    vg = jax.value_and_grad(loss_fn)

    def rel_err(w):
        net = eqx.combine(unravel(w), static)
        u = jax.vmap(lambda s: solution(net, problem, s, cfg.hard_bc, hyper["offset"]))(
            data["x_eval"]
        )
        return jnp.linalg.norm(u - data["u_eval"]) / jnp.linalg.norm(data["u_eval"])

    sched = optax.cosine_decay_schedule(1.0, max(cfg.adam_steps, 1), alpha=1e-2)
    adam = optax.adam(lambda n: hyper["adam_lr"] * sched(n))
    lbfgs = optax.scale_by_lbfgs(memory_size=cfg.lbfgs_memory)
    zero = jnp.zeros((), dtype)

    def direction(g, lb, w):
        p, lb = lbfgs.update(g, lb, w)
        d = -p
        gtd = jnp.vdot(g, d)
        fallback = -g * jnp.minimum(1.0, 1.0 / (jnp.linalg.norm(g) + 1e-300))
        bad = ~(gtd < 0)
        d = jnp.where(bad, fallback, d)
        return d, jnp.where(bad, jnp.vdot(g, fallback), gtd), lb

    def adam_branch(c, f, g, point, init):
        upd, st = adam.update(g, c["adam"], c["w"])
        return {**c, "w": c["w"] + upd, "adam": st, "f_w": f}

    def lbfgs_branch(c, f, g, point, init):
        # init: first L-BFGS step, evaluated at w itself (accepted; s = 0 resets memory).
        ok = init | (jnp.isfinite(f) & (f <= c["f_w"] + 1e-4 * c["alpha"] * c["gtd"]))

        def accept(c):
            sy = jnp.vdot(point - c["w"], g - c["g_w"])
            lb = jax.tree.map(lambda a, b: jnp.where(sy > 0, a, b), c["lb"], lbfgs.init(point))
            d, gtd, lb = direction(g, lb, point)
            done = jnp.linalg.norm(g) < cfg.gtol
            return {
                **c,
                "w": point,
                "f_w": f,
                "g_w": g,
                "d": d,
                "gtd": gtd,
                "lb": lb,
                "alpha": jnp.ones((), dtype),
                "z": point + d,
                "done": done,
                "accepted": ~init,
            }

        def backtrack(c):
            alpha = 0.5 * c["alpha"]
            return {**c, "alpha": alpha, "z": c["w"] + alpha * c["d"], "done": alpha < 1e-12}

        return jax.lax.cond(ok, accept, backtrack, c)

    def step(c, i):
        c = {**c, "accepted": False}
        lbfgs_phase = i >= cfg.adam_steps
        mode = jnp.where(c["done"], 2, jnp.where(lbfgs_phase, 1, 0))
        init = lbfgs_phase & ~c["started"]
        if cfg.collocation == "random":
            key, sub = jax.random.split(c["key"])
            rand = problem.x0 + (problem.x1 - problem.x0) * jax.random.uniform(
                sub, data["xs"].shape, dtype
            )
            xs = jnp.where(lbfgs_phase, data["xs_lbfgs"], rand)
            c = {**c, "key": key}
        else:
            xs = data["xs"]
        point = jnp.where(lbfgs_phase & c["started"], c["z"], c["w"])
        f, g = vg(point, xs, jnp.where(lbfgs_phase, 0.0, hyper["anchor"]))
        c = jax.lax.switch(mode, [adam_branch, lbfgs_branch, lambda c, *_: c], c, f, g, point, init)
        c = {**c, "started": c["started"] | lbfgs_phase}
        return c, (c["f_w"], rel_err(c["w"]), ~lbfgs_phase | c["accepted"])

    carry = {
        "w": flat0,
        "f_w": zero,
        "g_w": jnp.zeros_like(flat0),
        "z": flat0,
        "d": jnp.zeros_like(flat0),
        "alpha": jnp.ones((), dtype),
        "gtd": zero,
        "adam": adam.init(flat0),
        "lb": lbfgs.init(flat0),
        "key": jax.random.PRNGKey(data["seed"]),
        "started": jnp.asarray(False),
        "done": jnp.asarray(False),
        "accepted": jnp.asarray(False),
    }
    n_steps = cfg.adam_steps + cfg.lbfgs_steps
    carry, hist = jax.lax.scan(step, carry, jnp.arange(n_steps))
    net = eqx.combine(unravel(carry["w"]), static)
    u, du, d2u = derivatives(net, problem, data["x_eval"], cfg.hard_bc, hyper["offset"])
    return carry["w"], hist, (u, problem.residual(data["x_eval"], u, du, d2u))


_COMPILED: dict[Any, Any] = {}
_CACHE_SIZE = 32
_fit_jit = jax.jit(_fit, static_argnames=("static", "cfg"))


def _compiled(params, static, problem, data, hyper, cfg):
    """The compiled ``_fit`` for these shapes/structure (cached); returns (fn, compile_s)."""
    dyn = (params, problem, data, hyper)
    leaves, tree = jax.tree.flatten(dyn)
    key = (static, cfg, tree, tuple((jnp.shape(v), jnp.result_type(v)) for v in leaves))
    try:
        hash(key)
    except TypeError:  # e.g. an unhashable callable coefficient: compile every time
        key = None
    if key is not None and key in _COMPILED:
        return _COMPILED[key], 0.0
    start = time.perf_counter()
    fn = _fit_jit.lower(params, static, problem, data, hyper, cfg).compile()
    seconds = time.perf_counter() - start
    if key is not None:
        if len(_COMPILED) >= _CACHE_SIZE:  # drop the oldest entry
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = fn
    return fn, seconds


def train(problem: AbstractBVP, config: PINNConfig | None = None, **overrides: Any) -> PINNResult:
    """Train a PINN on ``problem`` (settings ``config`` with ``overrides``) and evaluate it.

    Raises ``ValueError`` for an activation below C^2 unless ``allow_nonsmooth=True`` and
    :class:`~bioact.errors.ConvergenceError` if training produced non-finite values.
    """
    cfg = (config or PINNConfig()).replace(**overrides)
    check_activation(cfg.activation, cfg.allow_nonsmooth)
    start = time.perf_counter()
    dtype = jnp.zeros(()).astype(float).dtype
    x_eval = np.linspace(float(problem.x0), float(problem.x1), cfg.n_eval)
    guess = (lambda x: cfg.offset * np.asarray(bubble(problem, x))) if cfg.offset else None
    kwargs = {"guess": guess} if guess is not None and problem.exact is None else {}
    u_ref, source, ref_s = reference_solution(problem, x_eval, **kwargs)

    net = make_network(
        problem,
        cfg.seed,
        cfg.activation,
        cfg.width,
        cfg.depth,
        cfg.fourier_features,
        cfg.fourier_sigma,
    )
    if cfg.offset:  # start exactly at the initial guess offset * d(x)
        net = eqx.tree_at(lambda n: n.weights[-1], net, jnp.zeros_like(net.weights[-1]))
    params, static = eqx.partition(net, eqx.is_inexact_array)
    xs = jnp.asarray(_collocation_points(problem, cfg), dtype)
    data = {
        "xs": xs,
        "xs_lbfgs": jnp.asarray(
            np.linspace(float(problem.x0), float(problem.x1), cfg.n_collocation), dtype
        )
        if cfg.collocation == "random"
        else xs,
        "x_eval": jnp.asarray(x_eval, dtype),
        "u_eval": jnp.asarray(u_ref, dtype),
        "seed": np.uint32(cfg.seed),
    }
    hyper = {
        k: jnp.asarray(getattr(cfg, k), dtype) for k in ("adam_lr", "offset", "bc_weight", "anchor")
    }
    graph_cfg = cfg.replace(
        seed=0,
        adam_lr=1.0,
        offset=0.0,
        bc_weight=1.0,
        allow_nonsmooth=True,
        anchor=float(cfg.anchor > 0),
    )
    fn, compile_s = _compiled(params, static, problem, data, hyper, graph_cfg)
    t0 = time.perf_counter()
    w, (loss_h, err_h, accepted), (u, res) = jax.block_until_ready(fn(params, problem, data, hyper))
    run_s = time.perf_counter() - t0
    net = eqx.combine(ravel_pytree(params)[1](w), static)
    u, res = np.asarray(u), np.asarray(res)
    if not np.all(np.isfinite(u)):
        raise ConvergenceError(
            f"PINN training on {problem.name!r} produced non-finite values; lower adam_lr"
        )
    accepted = np.asarray(accepted)
    metrics = {
        **error_metrics(u, u_ref),
        "residual": float(np.sqrt(np.mean(res**2))),
        "loss": float(np.asarray(loss_h)[-1]) if len(loss_h) else float("nan"),
        "iterations": int(np.count_nonzero(accepted)),
        "evaluations": int(len(accepted)),
        "compile_s": compile_s,
        "run_s": run_s,
        "reference": source,
        "reference_s": ref_s,
        "wall_s": time.perf_counter() - start,
    }
    return PINNResult(
        net,
        problem,
        cfg,
        x_eval,
        u,
        u_ref,
        res,
        np.asarray(loss_h),
        np.asarray(err_h),
        accepted,
        metrics,
    )
