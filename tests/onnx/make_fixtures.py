"""Regenerates the ONNX fixtures of `crates/signet-onnx/tests/data/`.

Each fixture is a small skl2onnx export `NAME.onnx` plus `NAME.json` holding the input fed to
onnxruntime, onnxruntime's outputs for it, and the graph's inputs/outputs as onnxruntime reports
them. The Rust tests compare signet-onnx's predictions with these outputs, so they need no
Python.

Usage (needs scikit-learn, skl2onnx, onnx and onnxruntime):

    PYTHON=/path/to/python scripts/onnx_fixtures.sh
    # or directly:
    python tests/onnx/make_fixtures.py [OUT_DIR]

OUT_DIR defaults to crates/signet-onnx/tests/data relative to the repository root. The output
is deterministic for a given set of library versions (fixed seeds, fixed opsets).
"""

import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from skl2onnx import to_onnx
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

# Fixed opsets: what current skl2onnx emits by default for these estimators, pinned so a newer
# skl2onnx does not silently switch to other operators (e.g. ai.onnx.ml 5's `TreeEnsemble`).
OPSET = {"": 17, "ai.onnx.ml": 3}

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "crates", "signet-onnx", "tests", "data")


def tensor_json(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        # NaN is written as JSON's NaN extension (onnxruntime leaves some outputs NaN).
        # float32 values widened to float64 print exactly (repr round-trips).
        data = [float(v) for v in a.reshape(-1)]
    elif a.dtype.kind in "iub":
        data = [int(v) for v in a.reshape(-1)]
    else:
        data = [str(v) for v in a.reshape(-1)]
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def io_json(args):
    return [
        {
            "name": a.name,
            "type": a.type,
            "shape": None if a.shape is None else [d if isinstance(d, int) else None for d in a.shape],
        }
        for a in args
    ]


def save(name, onx, feeds, patch=None):
    raw = onx.SerializeToString()
    path = os.path.join(OUT, name + ".onnx")
    with open(path, "wb") as f:
        f.write(raw)
    sess = ort.InferenceSession(raw, providers=["CPUExecutionProvider"])
    outputs = sess.run(None, feeds)
    if patch is not None:
        patch(outputs)
    doc = {
        "model": name + ".onnx",
        "graph_inputs": io_json(sess.get_inputs()),
        "graph_outputs": io_json(sess.get_outputs()),
        "inputs": {k: tensor_json(v) for k, v in feeds.items()},
        "outputs": {o.name: tensor_json(v) for o, v in zip(sess.get_outputs(), outputs)},
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f)
        f.write("\n")
    print(f"{name}: {len(raw)} bytes, outputs {[o.name for o in sess.get_outputs()]}")


NP_TO_ONNX = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE, np.int64: TensorProto.INT64}


def hand_forest(name, agg, post, base, dtype):
    """Three small trees, two targets, every branch mode, NaN routed by some nodes."""
    # (tree, node, mode, feature, threshold, true, false, missing_tracks_true)
    nodes = [
        (0, 0, "BRANCH_LEQ", 0, 0.25, 1, 2, 1),
        (0, 1, "BRANCH_LT", 1, -0.5, 3, 4, 0),
        (0, 2, "LEAF", 0, 0.0, 0, 0, 0),
        (0, 3, "LEAF", 0, 0.0, 0, 0, 0),
        (0, 4, "LEAF", 0, 0.0, 0, 0, 0),
        (1, 0, "BRANCH_GTE", 2, 0.0, 1, 2, 0),
        (1, 1, "LEAF", 0, 0.0, 0, 0, 0),
        (1, 2, "BRANCH_GT", 3, 1.0, 3, 4, 1),
        (1, 3, "LEAF", 0, 0.0, 0, 0, 0),
        (1, 4, "LEAF", 0, 0.0, 0, 0, 0),
        (2, 0, "BRANCH_NEQ", 0, 1.0, 1, 2, 0),
        (2, 1, "BRANCH_EQ", 1, 0.5, 3, 4, 0),
        (2, 2, "LEAF", 0, 0.0, 0, 0, 0),
        (2, 3, "LEAF", 0, 0.0, 0, 0, 0),
        (2, 4, "LEAF", 0, 0.0, 0, 0, 0),
    ]
    # (tree, node, target, weight); leaf (1, 4) has no weight for target 1, leaf (2, 4) none.
    targets = [
        (0, 2, 0, 1.25), (0, 2, 1, -0.5),
        (0, 3, 0, -2.0), (0, 3, 1, 0.75),
        (0, 4, 0, 0.5), (0, 4, 1, 0.125),
        (1, 1, 0, 0.3), (1, 1, 1, -1.1),
        (1, 3, 0, -0.7), (1, 3, 1, 0.9),
        (1, 4, 0, 2.2),
        (2, 2, 0, -0.4), (2, 2, 1, 0.6),
        (2, 3, 0, 1.7), (2, 3, 1, -0.2),
    ]
    double = dtype == np.float64
    attrs = dict(
        n_targets=2,
        aggregate_function=agg,
        post_transform=post,
        nodes_treeids=[n[0] for n in nodes],
        nodes_nodeids=[n[1] for n in nodes],
        nodes_modes=[n[2] for n in nodes],
        nodes_featureids=[n[3] for n in nodes],
        nodes_truenodeids=[n[5] for n in nodes],
        nodes_falsenodeids=[n[6] for n in nodes],
        nodes_missing_value_tracks_true=[n[7] for n in nodes],
        target_treeids=[t[0] for t in targets],
        target_nodeids=[t[1] for t in targets],
        target_ids=[t[2] for t in targets],
    )
    values = [n[4] for n in nodes]
    weights = [t[3] for t in targets]
    if double:
        attrs["nodes_values_as_tensor"] = helper.make_tensor("v", TensorProto.DOUBLE, [len(values)], values)
        attrs["target_weights_as_tensor"] = helper.make_tensor("w", TensorProto.DOUBLE, [len(weights)], weights)
        if base is not None:
            attrs["base_values_as_tensor"] = helper.make_tensor("b", TensorProto.DOUBLE, [len(base)], base)
    else:
        attrs["nodes_values"] = values
        attrs["target_weights"] = weights
        if base is not None:
            attrs["base_values"] = base
    node = helper.make_node(
        "TreeEnsembleRegressor", ["X"], ["variable"], name=name + "_node", domain="ai.onnx.ml", **attrs
    )
    graph = helper.make_graph(
        [node],
        name,
        [helper.make_tensor_value_info("X", NP_TO_ONNX[dtype], [None, 4])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 2])],
    )
    onx = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3 if double else 1)],
        producer_name="signet-fixtures",
    )
    onx.ir_version = 8
    onnx.checker.check_model(onx)
    return onx


def hand_classifier(name, labels, weights, base=None, post="NONE"):
    """Two one-split trees on feature 0 (x <= 0, x <= 2); `weights` are (tree, leaf, class, w)."""
    attrs = dict(
        nodes_treeids=[0, 0, 0, 1, 1, 1],
        nodes_nodeids=[0, 1, 2, 0, 1, 2],
        nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"] * 2,
        nodes_featureids=[0] * 6,
        nodes_values=[0.0, 0.0, 0.0, 2.0, 0.0, 0.0],
        nodes_truenodeids=[1, 0, 0, 1, 0, 0],
        nodes_falsenodeids=[2, 0, 0, 2, 0, 0],
        class_treeids=[w[0] for w in weights],
        class_nodeids=[w[1] for w in weights],
        class_ids=[w[2] for w in weights],
        class_weights=[w[3] for w in weights],
        post_transform=post,
    )
    if isinstance(labels[0], str):
        attrs["classlabels_strings"] = labels
        label_type = TensorProto.STRING
    else:
        attrs["classlabels_int64s"] = labels
        label_type = TensorProto.INT64
    if base is not None:
        attrs["base_values"] = base
    node = helper.make_node(
        "TreeEnsembleClassifier", ["X"], ["label", "probabilities"], name=name + "_node", domain="ai.onnx.ml", **attrs
    )
    graph = helper.make_graph(
        [node],
        name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 1])],
        [
            helper.make_tensor_value_info("label", label_type, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(labels)]),
        ],
    )
    onx = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 1)],
        producer_name="signet-fixtures",
    )
    onx.ir_version = 8
    onnx.checker.check_model(onx)
    return onx


def hand_scaler(name, dtype, offset, scale):
    node = helper.make_node(
        "Scaler", ["X"], ["variable"], name=name + "_node", domain="ai.onnx.ml", offset=offset, scale=scale
    )
    graph = helper.make_graph(
        [node],
        name,
        [helper.make_tensor_value_info("X", NP_TO_ONNX[dtype], [None, 4])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 4])],
    )
    onx = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 1)],
        producer_name="signet-fixtures",
    )
    onx.ir_version = 8
    onnx.checker.check_model(onx)
    return onx


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(40, 4)).astype(np.float32)
    y_reg = (X @ np.array([1.5, -2.0, 0.5, 3.0]) + 0.1 * rng.randn(40) + 0.25).astype(np.float32)
    y_bin = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    y_3 = np.digitize(X[:, 0] - X[:, 2], [-1.0, 1.0]).astype(np.int64)
    # Prediction inputs: a few fresh rows.
    Xt = rng.uniform(-2.5, 2.5, size=(6, 4)).astype(np.float32)

    def export(model, name, options=None):
        onx = to_onnx(model, X[:1], target_opset=OPSET, options=options)
        # skl2onnx lists opsets in set order (varies between runs); make the bytes stable.
        imports = sorted(onx.opset_import, key=lambda o: (o.domain, o.version))
        del onx.opset_import[:]
        onx.opset_import.extend(imports)
        save(name, onx, {onx.graph.input[0].name: Xt})

    no_zipmap = {"zipmap": False}
    export(LinearRegression().fit(X, y_reg), "linear_regression")
    export(Ridge(alpha=0.5).fit(X, y_reg), "ridge")
    export(LogisticRegression(max_iter=200).fit(X, y_3), "logistic_regression", no_zipmap)
    export(
        RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0).fit(X, y_bin),
        "random_forest_classifier",
        no_zipmap,
    )
    export(
        DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y_3),
        "decision_tree_classifier",
        no_zipmap,
    )
    export(KNeighborsRegressor(n_neighbors=3).fit(X[:12], y_reg[:12]), "kneighbors_regressor")
    export(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=200)).fit(X * 3 + 1, y_bin),
        "scaler_logistic_pipeline",
        no_zipmap,
    )
    export(
        GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0).fit(X, y_bin),
        "gradient_boosting_classifier",
        no_zipmap,
    )
    export(
        DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y_bin),
        "decision_tree_binary_classifier",
        no_zipmap,
    )
    export(
        RandomForestRegressor(n_estimators=3, max_depth=3, random_state=0).fit(X, y_reg),
        "random_forest_regressor",
    )
    export(
        GradientBoostingRegressor(n_estimators=4, max_depth=2, random_state=0).fit(X, y_reg),
        "gradient_boosting_regressor",
    )

    # Hand-built TreeEnsembleRegressor / Scaler variants covering what skl2onnx exports do not:
    # every aggregate function, several targets, base values, every branch mode, NaN routing,
    # post transforms, double inputs (opset-3 `*_as_tensor` attributes) and integer inputs.
    Xn = Xt.copy()
    Xn[1, 0] = np.nan
    Xn[3, 2] = np.nan
    Xn[2, 1] = 0.5  # hits BRANCH_EQ
    Xn[4, 0] = 1.0  # fails BRANCH_NEQ
    for name, agg, post, base, dtype in [
        ("tree_sum_softmax", "SUM", "SOFTMAX", [0.5, -1.0], np.float32),
        ("tree_average_logistic", "AVERAGE", "LOGISTIC", [0.25, 0.0], np.float32),
        ("tree_min", "MIN", "NONE", None, np.float32),
        ("tree_max_probit", "MAX", "PROBIT", [0.0, 0.1], np.float32),
        ("tree_sum_double", "SUM", "NONE", [1.0, 2.0], np.float64),
    ]:
        onx = hand_forest(name, agg, post, base, dtype)
        save(name, onx, {"X": Xn.astype(dtype)})
    for name, dtype, offset, scale in [
        ("scaler_int64", np.int64, [1.5], [0.5]),
        ("scaler_double", np.float64, [0.1, 0.2, 0.3, 0.4], [2.0, 0.5, 1.0 / 3.0, -1.0]),
    ]:
        onx = hand_scaler(name, dtype, offset, scale)
        x = (Xt * 3).astype(dtype)
        save(name, onx, {"X": x})

    # Hand-built TreeEnsembleClassifiers for onnxruntime's label/probability rules: binary
    # ensembles (one scored class) with non-negative or mixed weights, two scored classes,
    # base values, post transforms, string labels, rows no leaf scores.
    xc = np.array([[-1.0], [1.0], [3.0], [0.0]], dtype=np.float32)
    pos = [(0, 1, 0, 0.3), (0, 2, 0, 0.6), (1, 1, 0, 0.1), (1, 2, 0, 0.2)]
    mixed = [(0, 1, 0, -0.4), (0, 2, 0, 0.9), (1, 1, 0, 0.1), (1, 2, 0, -0.3)]
    both = [(0, 1, 0, 0.7), (0, 1, 1, 0.3), (0, 2, 0, -0.2), (0, 2, 1, -0.8), (1, 1, 0, 0.05)]
    multi = [(0, 1, 0, 0.7), (0, 1, 1, 0.3), (0, 2, 2, 0.2), (1, 1, 1, 0.1), (1, 2, 2, -0.4)]
    for name, labels, weights, base, post in [
        ("clf_binary_positive", [0, 1], pos, None, "NONE"),
        ("clf_binary_positive_logistic", [3, 9], pos, None, "LOGISTIC"),
        ("clf_binary_positive_probit", [0, 1], pos, None, "PROBIT"),
        ("clf_binary_mixed", [0, 1], mixed, None, "NONE"),
        ("clf_binary_mixed_logistic_base", [0, 1], mixed, [0.25], "LOGISTIC"),
        ("clf_binary_mixed_base2", [0, 1], mixed, [0.1, 0.2], "NONE"),
        ("clf_binary_second_class", [0, 1], [(t, l, 1, w) for t, l, _, w in mixed], [0.1, 0.2], "LOGISTIC"),
        ("clf_two_classes", [5, 6], both, None, "NONE"),
        ("clf_two_classes_base2_softmax", ["no", "yes"], both, [0.1, 0.5], "SOFTMAX"),
        ("clf_multiclass_softmax_base", [5, 6, 7], multi, [0.1, 0.2, 0.3], "SOFTMAX"),
        ("clf_multiclass_strings_logistic", ["a", "b", "c"], multi, None, "LOGISTIC"),
        ("clf_multiclass_softmax_zero", [1, 2, 3], multi, None, "SOFTMAX_ZERO"),
    ]:
        patch = None
        if post == "PROBIT":
            # With one scored class onnxruntime writes only the first probability and leaves
            # the second uninitialized (whatever the buffer held); signet writes NaN there.
            def patch(outputs):
                outputs[1][:, 1] = np.nan

        save(name, hand_classifier(name, labels, weights, base, post), {"X": xc}, patch)

    # An operator tract does not know, in a node with a name of its own.
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="frob_node_7", domain="com.example")
    graph = helper.make_graph(
        [node],
        "unknown_op",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])],
    )
    onx = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)],
        producer_name="signet-fixtures",
    )
    with open(os.path.join(OUT, "unknown_op.onnx"), "wb") as f:
        f.write(onx.SerializeToString())
    print("unknown_op: written (onnxruntime cannot run it)")

    # An input of undeclared rank (typed per call): y = 2 * x.
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"], name="double")],
        "unknown_rank",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        initializer=[helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="signet-fixtures")
    onx.ir_version = 8  # (onnx's checker wants shapes on graph inputs; onnxruntime does not)
    save("unknown_rank", onx, {"x": Xt[:2, :3]})

    # Two graph inputs, for the DataFrame column-by-column and dict feeds:
    # sum = a + b, prod = a * b, all of shape [N].
    graph = helper.make_graph(
        [
            helper.make_node("Add", ["a", "b"], ["sum"], name="add"),
            helper.make_node("Mul", ["a", "b"], ["prod"], name="mul"),
        ],
        "two_inputs",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N"]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N"]),
        ],
        [
            helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["N"]),
            helper.make_tensor_value_info("prod", TensorProto.FLOAT, ["N"]),
        ],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="signet-fixtures")
    onx.ir_version = 8
    onnx.checker.check_model(onx)
    a = np.array([1.0, 2.5, -3.0], dtype=np.float32)
    b = np.array([0.5, 4.0, 2.0], dtype=np.float32)
    save("two_inputs", onx, {"a": a, "b": b})


if __name__ == "__main__":
    main()
