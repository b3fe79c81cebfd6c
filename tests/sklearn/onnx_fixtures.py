"""The ONNX half of the scikit-learn fixtures (called by make_fixtures.py).

Every fitted case skl2onnx can convert is also exported with `skl2onnx.to_onnx` (ZipMap
kept, as skl2onnx emits it by default) and saved with `mlflow.onnx.save_model` into
DIR/onnx/<name>, with DIR/onnx/<name>/expected.json holding:

* `pyfunc`: `mlflow.pyfunc.load_model(dir).predict(<loaded input example>)` (onnxruntime),
  encoded by `encode` below;
* `invocations`: the `/invocations` body MLflow's scoring server writes for that output
  (`predictions_to_json`);
* `sklearn`: the estimator's own `predict` (and `predict_proba` for classifiers) on the same
  rows, for the cases in `AGREE_WITH_SKLEARN`.

DIR/onnx/<name>/invocations.json: MLflow's scoring-server answers and a V2 request, as for
the skops cases (serving_bodies.py).

Input types follow the DataFrame's columns: an all-float frame (or an ndarray) is one
`float [N, C]` input fed `DataFrame.values`, as MLflow's wrapper does for single-input models;
a frame of mixed dtypes is one `[N, 1]` input per column (float, int64 or string) and its
example is the dict `{column: [N, 1] array}` (MLflow feeds a multi-input model's DataFrame
columns as 1-D arrays, which onnxruntime refuses for `[N, 1]` inputs). `FEATURE_VECTORIZER`
cases also feed an all-float frame column by column, which makes skl2onnx emit a
FeatureVectorizer.

The input of a dict case is recorded in expected.json as `input` ({column: {"dtype", "shape",
"data"}}, NaN as null); a frame case's is its saved input example.

`text_cases()` adds scikit-learn text classifiers (TfidfVectorizer / CountVectorizer +
LogisticRegression, a `text` column of strings): skl2onnx exports them with StringNormalizer,
com.microsoft:Tokenizer and TfIdfVectorizer. They have no skops twin (signet-sklearn does not
implement the vectorizers).

DictVectorizer is not among the cases: skl2onnx's graph for it takes a `map(string, float)`
input, and MLflow's onnx wrapper feeds only tensors (`_OnnxModelWrapper.predict` turns the
DataFrame or dict into numpy arrays), so onnxruntime refuses what MLflow feeds it (checked
with MLflow 3.17.2 and onnxruntime 1.32.0: see `dict_vectorizer_refusal()`).

`handmade()` adds graphs built with `onnx.helper` for what the sklearn cases do not reach:
every LinearClassifier/LinearRegressor post transform (PROBIT, SOFTMAX_ZERO, ...), the
LabelEncoder key/value type combinations and Binarizer.

DIR/onnx/cases.json lists the saved cases; DIR/onnx/skipped.json the cases skl2onnx cannot
convert, each with the converter's reason.
"""

import io
import json
import os
import shutil
import time

import numpy as np
import pandas as pd
import mlflow.onnx
import mlflow.pyfunc
import serving_bodies
from mlflow.models import Model
from mlflow.pyfunc.scoring_server import predictions_to_json
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, Int64TensorType, StringTensorType

# Cases whose ONNX predictions must also agree with sklearn's own (the pipeline).
AGREE_WITH_SKLEARN = {"column_transformer_logistic"}
# Numeric cases fed column by column (skl2onnx adds a FeatureVectorizer).
FEATURE_VECTORIZER = {"imputer_mean_ridge", "svr_rbf"}

TARGET_OPSET = {"": 18, "ai.onnx.ml": 3}


def initial_types(X, per_column):
    if isinstance(X, np.ndarray):
        return [("X", FloatTensorType([None, X.shape[1]]))], X.astype(np.float32)
    floats = all(X[c].dtype == np.float64 for c in X.columns)
    if floats and not per_column:
        return [("X", FloatTensorType([None, X.shape[1]]))], None
    types, feed = [], {}
    for c in X.columns:
        kind = X[c].dtype.kind
        if kind == "f":
            types.append((c, FloatTensorType([None, 1])))
            feed[c] = X[[c]].to_numpy(np.float32)
        elif kind in "iu":
            types.append((c, Int64TensorType([None, 1])))
            feed[c] = X[[c]].to_numpy(np.int64)
        else:
            types.append((c, StringTensorType([None, 1])))
            feed[c] = X[[c]].to_numpy(str).astype(object)
    return types, feed


def encode(pred):
    """A prediction as JSON: a DataFrame by columns, a dict by keys; arrays and lists as
    {"shape", "data"}; ZipMap's dicts as {"dicts": [[[key, prob], ...], ...]}."""

    def cell(v):
        if isinstance(v, dict):
            return [[k if isinstance(k, str) else int(k), float(p)] for k, p in v.items()]
        if isinstance(v, (np.floating, float)):
            return None if np.isnan(v) else float(v)
        if isinstance(v, (np.integer,)):
            return int(v)
        return v

    def array(a):
        if isinstance(a, list) and a and isinstance(a[0], dict):
            return {"dicts": [cell(d) for d in a]}
        a = np.asarray(a)
        if a.dtype == object and a.size and isinstance(a.reshape(-1)[0], dict):
            return {"dicts": [cell(d) for d in a.reshape(-1)]}
        return {"shape": list(a.shape), "data": [cell(x) for x in a.reshape(-1).tolist()]}

    if isinstance(pred, pd.DataFrame):
        return {"frame": {str(c): array(pred[c].to_numpy()) for c in pred.columns}}
    return {"dict": {k: array(v) for k, v in pred.items()}}


def text_cases():
    """(name, fitted model, X, X_test): text classifiers on a `text` column of strings."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    r = np.random.RandomState(5)
    words = {
        "pets": "cat dog puppy kitten leash bark purr vet fur paws".split(),
        "food": "pizza pasta salad bread cheese tomato soup spicy oven bake".split(),
        "tech": "laptop phone cloud server code python rust compiler bug deploy".split(),
    }
    common = "the a and of to is in it was very with".split()
    docs, labels = [], []
    for i in range(120):
        topic = list(words)[i % 3]
        n = r.randint(4, 12)
        toks = [words[topic][r.randint(10)] if r.rand() < 0.7 else common[r.randint(len(common))] for _ in range(n)]
        docs.append(" ".join(t.upper() if r.rand() < 0.1 else t for t in toks))
        labels.append(topic)
    X = pd.DataFrame({"text": docs})
    X_test = pd.DataFrame({"text": [
        "The cat and the dog",
        "PIZZA with cheese, very spicy!",
        "rust compiler bug in the cloud",
        "nothing known here at all",
        "Café pasta — naïve code",
        "dog dog dog puppy puppy",
        "a",
        "server deploy; laptop+phone",
    ]})
    y = np.array(labels)
    binary = np.array([1 if t == "tech" else 0 for t in labels])
    cases = [
        ("tfidf_logistic_text", make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=500)), y),
        ("tfidf_bigrams_stopwords_logistic_text", make_pipeline(TfidfVectorizer(ngram_range=(1, 2), stop_words=["the", "a", "of"], sublinear_tf=True), LogisticRegression(max_iter=500)), y),
        ("count_binary_logistic_text", make_pipeline(CountVectorizer(binary=True), LogisticRegression(max_iter=500)), binary),
    ]
    for name, model, target in cases:
        model.fit(X["text"], target)
        yield name, model, X, X_test


def text_options(model):
    """skl2onnx options for the text vectorizers of `model`: StringNormalizer's locale is
    C.UTF-8 (onnxruntime's default, en_US.UTF-8, is not installed on Debian's slim images and
    onnxruntime refuses to load the graph without it)."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    steps = getattr(model, "named_steps", {}) or {}
    return {
        id(step): {"locale": "C.UTF-8"}
        for step in steps.values()
        if isinstance(step, (CountVectorizer, TfidfVectorizer))
    } or None


def dict_vectorizer_refusal():
    """What MLflow's onnx wrapper does with skl2onnx's DictVectorizer graph: the error text."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from skl2onnx.common.data_types import DictionaryType

    rows = [{"a": 1.0, "b": 2.0}, {"a": 3.0, "c": 1.0}, {"b": 1.0, "c": 4.0}]
    model = make_pipeline(DictVectorizer(sparse=False), LinearRegression()).fit(rows, [1.0, 2.0, 3.0])
    onx = to_onnx(model, initial_types=[("X", DictionaryType(StringTensorType([]), FloatTensorType([])))], target_opset=TARGET_OPSET)
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m")
        mlflow.onnx.save_model(onx, path, pip_requirements=["onnxruntime==1.32.0"])
        pyfunc = mlflow.pyfunc.load_model(path)
        errors = []
        for feed in (pd.DataFrame(rows).fillna(0.0), pd.DataFrame({"X": rows})):
            try:
                pyfunc.predict(feed)
            except Exception as e:  # what MLflow answers
                errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
                continue
            raise AssertionError("MLflow's onnx wrapper fed a DictVectorizer graph")
    return " / ".join(errors)


def handmade():
    """(name, model, dict example): ONNX-ML operators and attributes skl2onnx does not emit for
    the sklearn cases (post transforms, LabelEncoder type combinations, Binarizer)."""
    from onnx import TensorProto, helper

    r = np.random.RandomState(11)
    x = r.uniform(0.05, 0.95, (6, 3)).astype(np.float32)

    def graph(name, node, inputs, outputs):
        g = helper.make_graph([node], name, inputs, outputs)
        return helper.make_model(
            g, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("ai.onnx.ml", 3)]
        )

    def t(name, elem, dims):
        return helper.make_tensor_value_info(name, elem, dims)

    F, I, S = TensorProto.FLOAT, TensorProto.INT64, TensorProto.STRING
    # Scores within (0, 1) so PROBIT stays finite; the third class scores exactly 0.
    coef = [0.3, 0.2, 0.1, 0.1, 0.3, 0.2, 0.0, 0.0, 0.0]
    for transform in ("PROBIT", "SOFTMAX_ZERO", "SOFTMAX", "LOGISTIC", "NONE"):
        node = helper.make_node(
            "LinearClassifier", ["X"], ["label", "scores"], domain="ai.onnx.ml",
            coefficients=coef, intercepts=[0.05, 0.0, 0.0], classlabels_ints=[3, 5, 7],
            post_transform=transform,
        )
        yield f"onnx_linear_classifier_{transform.lower()}", graph(
            "lc", node, [t("X", F, [None, 3])], [t("label", I, [None]), t("scores", F, [None, 3])]
        ), {"X": x}
    node = helper.make_node(
        "LinearClassifier", ["X"], ["label", "scores"], domain="ai.onnx.ml",
        coefficients=[1.0, -2.0, 0.5], intercepts=[0.1], classlabels_strings=["no", "yes"],
    )
    yield "onnx_linear_classifier_one_score_strings", graph(
        "lc1", node, [t("X", F, [None, 3])], [t("label", S, [None]), t("scores", F, [None, 2])]
    ), {"X": x}
    for transform, targets in (("PROBIT", 1), ("SOFTMAX_ZERO", 3), ("PROBIT", 3)):
        node = helper.make_node(
            "LinearRegressor", ["X"], ["Y"], domain="ai.onnx.ml",
            coefficients=coef[: 3 * targets], intercepts=[0.05, 0.0, 0.0][:targets],
            targets=targets, post_transform=transform,
        )
        yield f"onnx_linear_regressor_{transform.lower()}_{targets}", graph(
            "lr", node, [t("X", F, [None, 3])], [t("Y", F, [None, targets])]
        ), {"X": x}
    node = helper.make_node("Binarizer", ["X"], ["Y"], domain="ai.onnx.ml", threshold=0.5)
    yield "onnx_binarizer", graph("b", node, [t("X", F, [None, 3])], [t("Y", F, [None, 3])]), {"X": x}
    ints = np.array([[1], [4], [2], [9]], dtype=np.int64)
    strs = np.array([["a"], ["zz"], ["c"], ["b"]], dtype=object)
    floats = np.array([[0.5], [np.nan], [2.0], [7.0]], dtype=np.float32)
    encoders = [
        ("int_to_string", dict(keys_int64s=[1, 2, 4], values_strings=["one", "two", "four"], default_string="?"), ints, I, S),
        ("int_to_float", dict(keys_int64s=[1, 2, 4], values_floats=[0.5, 1.5, 2.5], default_float=-1.0), ints, I, F),
        ("string_to_int", dict(keys_strings=["a", "b", "c"], values_int64s=[10, 20, 30], default_int64=-7), strs, S, I),
        ("string_to_float", dict(keys_strings=["a", "b", "c"], values_floats=[0.1, 0.2, 0.3]), strs, S, F),
        ("string_to_string", dict(keys_strings=["a", "b"], values_strings=["A", "B"]), strs, S, S),
        ("float_to_int", dict(keys_floats=[0.5, 2.0, float("nan")], values_int64s=[1, 2, 3]), floats, F, I),
        ("float_to_string", dict(keys_floats=[0.5, 2.0], values_strings=["half", "two"]), floats, F, S),
        ("int_to_int", dict(keys_int64s=[1, 9], values_int64s=[100, 900]), ints, I, I),
    ]
    for name, attrs, feed, ti, to in encoders:
        node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain="ai.onnx.ml", **attrs)
        model = graph("le", node, [t("X", ti, [None, 1])], [t("Y", to, [None, 1])])
        model.opset_import[1].version = 2
        yield f"onnx_label_encoder_{name}", model, {"X": feed}


def save(out, name, model, X, X_test, skipped, onx=None):
    per_column = name in FEATURE_VECTORIZER
    if onx is not None:
        types, feed = None, X_test
    else:
        types, feed = initial_types(X_test, per_column)
    try:
        if onx is None:
            onx = to_onnx(model, initial_types=types, target_opset=TARGET_OPSET, options=text_options(model))
    except Exception as e:  # the converter's own limits, recorded with its reason
        skipped[name] = f"skl2onnx: {type(e).__name__}: {str(e).splitlines()[0][:200]}"
        return False
    example = X_test if feed is None else feed
    if isinstance(example, pd.DataFrame):
        example = example.astype(np.float64)
    path = os.path.join(out, "onnx", name)
    shutil.rmtree(path, ignore_errors=True)
    # A dict example with NaN does not survive MLflow's JSON round trip (its float arrays come
    # back as object arrays of None), so dict inputs are recorded in expected.json instead.
    frame = not isinstance(example, dict)
    mlflow.onnx.save_model(
        onx,
        path,
        input_example=example if frame else None,
        pip_requirements=["onnxruntime==1.32.0"],
    )
    if frame:
        example = Model.load(path).load_input_example(path)
    pyfunc = mlflow.pyfunc.load_model(path)
    got = pyfunc.predict(example)
    invocations = io.StringIO()
    predictions_to_json(got, invocations)
    # `invocations`: the body MLflow's scoring server writes for this output.
    expected = {"pyfunc": encode(got), "invocations": invocations.getvalue()}
    if not frame:
        expected["input"] = {
            k: {
                "dtype": "object" if v.dtype.kind in "OU" else str(v.dtype),
                "shape": list(v.shape),
                "data": [None if isinstance(x, float) and np.isnan(x) else x for x in v.reshape(-1).tolist()],
            }
            for k, v in example.items()
        }
    if model is not None and name in AGREE_WITH_SKLEARN:
        expected["sklearn"] = {
            "predict": [cell if isinstance(cell, str) else float(cell) for cell in model.predict(X_test).tolist()],
            "predict_proba": model.predict_proba(X_test).tolist(),
            "classes": [str(c) for c in model.classes_],
        }
    with open(os.path.join(path, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    # MLflow's scoring-server answers (serving_bodies.py).
    if frame:
        serving_bodies.frame_or_tensor(path, example, model=pyfunc)
    else:
        serving_bodies.record(path, serving_bodies.dict_bodies(example), serving_bodies.dict_v2(example), pyfunc)
    return True


def write_all(out, fitted):
    """`fitted`: (name, fitted model, X_train, X_test) for every sklearn case."""
    started = time.time()
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    names, skipped = [], {}
    all_names = {f[0] for f in fitted}
    for name, model, X, X_test in fitted:
        # `<case>_proba` / `_log_proba` differ from `<case>` only in MLflow's predict_fn, which
        # the ONNX graph does not have: one export of the model is enough.
        base = name.removesuffix("_log_proba").removesuffix("_proba")
        if base != name and base in all_names:
            continue
        if save(out, name, model, X, X_test, skipped):
            names.append(name)
    for name, model, X, X_test in text_cases():
        if save(out, name, model, X, X_test, skipped):
            names.append(name)
    skipped["dict_vectorizer"] = "MLflow's onnx wrapper cannot feed the map input: " + dict_vectorizer_refusal()
    for name, onx, example in handmade():
        save(out, name, None, None, example, skipped, onx=onx)
        names.append(name)
    with open(os.path.join(out, "onnx", "cases.json"), "w") as f:
        json.dump(names, f, indent=1)
    with open(os.path.join(out, "onnx", "skipped.json"), "w") as f:
        json.dump(skipped, f, indent=1)
    print(
        f"{len(names)} ONNX fixtures written in {time.time() - started:.1f}s, "
        f"{len(skipped)} not convertible by skl2onnx: {', '.join(sorted(skipped))}"
    )
