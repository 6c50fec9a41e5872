"""PINN for a second-order BVP: DIR/solution.csv, metrics.json, solution.png (or a comparison).

``bioact pinn PROBLEM --activation tanh --out DIR`` trains one PINN on a preset
(``models/pinn_<PROBLEM>.toml``, or a path to a TOML file) and writes ``solution.csv``
(columns x, u_pinn, u_ref), ``metrics.json`` (rel_l2, max_err, residual, iterations, wall
time, compile and run time) and ``solution.png`` (solution, error, residual, loss history).
``--compare tanh,sin,softplus,relu`` trains one PINN per activation with the same seed and
writes ``compare.csv`` (error history per activation), ``compare.json`` and ``compare.png``.
Activations below C^2 (relu, leaky_relu, elu) are refused with exit code 2 unless
``--allow-nonsmooth`` is given.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", help="preset name (e.g. poisson_sin) or path to a .toml file")
    parser.add_argument("--activation", default="tanh", help="activation name (default tanh)")
    parser.add_argument(
        "--compare", default=None, help="comma-separated activations to compare, e.g. tanh,relu"
    )
    parser.add_argument(
        "--allow-nonsmooth",
        action="store_true",
        help="run activations below C^2 (their failure shows in the metrics)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--width", type=int, default=None, help="hidden units per layer")
    parser.add_argument("--depth", type=int, default=None, help="hidden layers")
    parser.add_argument("--adam-steps", type=int, default=None, help="Adam steps")
    parser.add_argument("--lbfgs-steps", type=int, default=None, help="L-BFGS evaluations")
    parser.add_argument("--n-collocation", type=int, default=None, help="collocation points")
    parser.add_argument("--collocation", choices=("uniform", "sobol", "random"), default=None)
    parser.add_argument(
        "--soft-bc",
        action="store_true",
        help="Dirichlet ends as penalties instead of the exact output transform",
    )


def _settings(args: argparse.Namespace, preset: dict) -> dict:
    out = dict(preset)
    for name in ("width", "depth", "adam_steps", "lbfgs_steps", "n_collocation", "collocation"):
        value = getattr(args, name)
        if value is not None:
            out[name] = value
    if args.soft_bc:
        out["hard_bc"] = False
    out["seed"] = args.seed
    out["allow_nonsmooth"] = args.allow_nonsmooth
    return out


def run(args: argparse.Namespace) -> dict:
    from bioact.io import write_csv, write_json
    from bioact.pinn import PINNConfig, check_activation, load_problem, train
    from bioact.plot import plot_activation_comparison, plot_pinn_result, savefig

    problem, preset = load_problem(args.problem)
    settings = _settings(args, preset)
    config = PINNConfig().replace(**settings)
    if args.compare:
        names = [n.strip() for n in args.compare.split(",") if n.strip()]
        if not names:
            raise ValueError(f"--compare needs activation names, got {args.compare!r}")
        for name in names:  # refuse before any training
            check_activation(name, args.allow_nonsmooth)
        results = {name: train(problem, config, activation=name) for name in names}
        columns = {
            "evaluation": list(range(1, len(next(iter(results.values())).error_history) + 1))
        }
        for name, res in results.items():
            columns[f"rel_l2_{name}"] = res.error_history
        write_csv(
            args.out / "compare.csv",
            columns,
            [f"rel L2 error vs {problem.name} reference per loss evaluation, seed {args.seed}"],
        )
        summary = {name: res.metrics for name, res in results.items()}
        write_json(args.out / "compare.json", summary)
        savefig(plot_activation_comparison(results), args.out / "compare.png")
        return {
            "problem": problem.name,
            "compare": summary,
            "files": ["compare.csv", "compare.json", "compare.png"],
        }
    result = train(problem, config, activation=args.activation)
    write_csv(
        args.out / "solution.csv",
        {"x": result.x, "u_pinn": result.u, "u_ref": result.u_ref},
        [f"{problem.name}: PINN ({args.activation}) and {result.metrics['reference']} reference"],
    )
    write_json(
        args.out / "metrics.json",
        {**result.metrics, "activation": args.activation, "problem": problem.name},
    )
    savefig(plot_pinn_result(result), args.out / "solution.png")
    return {
        "problem": problem.name,
        "metrics": result.metrics,
        "files": ["solution.csv", "metrics.json", "solution.png"],
    }
