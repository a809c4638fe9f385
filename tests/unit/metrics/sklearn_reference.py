#!/usr/bin/python3
"""Reference values from scikit-learn for the seqdl metrics tests (test_sklearn_reference.cpp).

Usage: /usr/bin/python3 sklearn_reference.py OUT.json

Writes seeded test inputs and what scikit-learn computes for them, so that the C++ metrics are checked
against an independent implementation. Exits with status 77 (the test is skipped) when numpy or
scikit-learn cannot be imported.
"""
import json
import sys

try:
    import numpy as np
    import sklearn
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, confusion_matrix,
                                 precision_recall_curve, roc_auc_score, roc_curve)
    from sklearn.preprocessing import label_binarize
except ImportError as e:
    print(f"sklearn_reference.py: {e}; install python3-sklearn and python3-numpy", file=sys.stderr)
    sys.exit(77)

rng = np.random.RandomState(20240607)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def binary_case(name, scores, labels, probabilities):
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    precision, recall, pr_thresholds = precision_recall_curve(labels, scores)
    fpr, tpr, roc_thresholds = roc_curve(labels, scores)
    case = {
        "name": name,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "average_precision": float(average_precision_score(labels, scores)),
        "roc_auc": float(roc_auc_score(labels, scores)),
        "pr_curve": {"precision": precision.tolist(), "recall": recall.tolist(), "thresholds": pr_thresholds.tolist()},
        "roc_curve": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_thresholds.tolist()},
    }
    if probabilities:
        case["brier"] = float(brier_score_loss(labels, scores))
        case["calibration"] = []
        for bins in (10, 7, 3):
            prob_true, prob_pred = calibration_curve(labels, scores, n_bins=bins, strategy="uniform")
            case["calibration"].append({"bins": bins, "prob_true": prob_true.tolist(), "prob_pred": prob_pred.tolist()})
    return case


def spliceai_top_k(y_true, y_pred):
    """SpliceAI's print_topl_statistics at top_length 1 (inputs without ties, where it is well defined)."""
    idx_true = np.nonzero(y_true == 1)[0]
    idx_pred = np.argsort(y_pred)[-len(idx_true):]
    return np.size(np.intersect1d(idx_true, idx_pred)) / float(len(idx_true))


def averaged(metric, indicator, scores):
    return {"per_task": metric(indicator, scores, average=None).tolist(),
            "macro": float(metric(indicator, scores, average="macro")),
            "micro": float(metric(indicator, scores, average="micro"))}


def multiclass_case(name, scores, labels, with_top_k):
    k = scores.shape[1]
    indicator = label_binarize(labels, classes=list(range(k)))
    predicted = scores.argmax(axis=1)
    case = {
        "name": name,
        "classes": k,
        "scores": scores.ravel().tolist(),
        "labels": labels.tolist(),
        "average_precision": averaged(average_precision_score, indicator, scores),
        "roc_auc": averaged(roc_auc_score, indicator, scores),
        "accuracy": float(accuracy_score(labels, predicted)),
        "confusion_matrix": confusion_matrix(labels, predicted, labels=list(range(k))).ravel().tolist(),
    }
    if np.allclose(scores.sum(axis=1), 1.0):
        # roc_auc_score's own multi-class path (probabilities only) must be the macro of the one-hot columns.
        ovr = float(roc_auc_score(labels, scores, multi_class="ovr", average="macro"))
        assert abs(ovr - case["roc_auc"]["macro"]) < 1e-12
    if with_top_k:
        case["top_k"] = [spliceai_top_k(indicator[:, c], scores[:, c]) for c in range(k)]
    return case


def main():
    out = {"sklearn_version": sklearn.__version__, "binary": [], "multiclass": [], "multilabel": []}

    labels = (rng.rand(2000) < 0.3).astype(int)
    probs = sigmoid(1.2 * labels + rng.randn(2000))
    out["binary"].append(binary_case("continuous", probs, labels, True))

    labels = (rng.rand(3000) < 0.4).astype(int)
    probs = np.round(sigmoid(1.0 * labels + rng.randn(3000)), 1)  # 11 values, many on bin edges
    out["binary"].append(binary_case("ties_one_decimal", probs, labels, True))

    labels = (rng.rand(1500) < 0.5).astype(int)
    logits = np.round(2 * (0.8 * labels + rng.randn(1500))) / 2  # negative scores, ties
    out["binary"].append(binary_case("logits_with_ties", logits, labels, False))

    labels = np.zeros(1000, dtype=int)
    labels[rng.randint(1000)] = 1
    out["binary"].append(binary_case("one_positive_in_1000", sigmoid(rng.randn(1000)), labels, True))

    labels = np.zeros(5000, dtype=int)
    labels[rng.choice(5000, 5, replace=False)] = 1
    out["binary"].append(binary_case("five_positives_in_5000", sigmoid(rng.randn(5000) + labels), labels, True))

    out["binary"].append(binary_case("small", [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.5, 0.1, 1.0, 0.0],
                                     [1, 1, 0, 1, 0, 1, 0, 0, 1, 0], True))

    labels = rng.randint(3, size=1500)
    scores = softmax(1.5 * np.eye(3)[labels] + rng.randn(1500, 3))
    out["multiclass"].append(multiclass_case("k3_softmax", scores, labels, True))

    labels = rng.randint(5, size=2000)
    scores = np.round(softmax(1.0 * np.eye(5)[labels] + rng.randn(2000, 5)), 1)  # argmax ties too
    out["multiclass"].append(multiclass_case("k5_softmax_one_decimal", scores, labels, False))

    prevalence = np.array([0.05, 0.2, 0.5, 0.7])
    indicator = (rng.rand(1200, 4) < prevalence).astype(int)
    scores = sigmoid(1.0 * indicator + rng.randn(1200, 4))
    out["multilabel"].append({"name": "four_tasks", "tasks": 4, "scores": scores.ravel().tolist(),
                              "labels": indicator.ravel().tolist(),
                              "average_precision": averaged(average_precision_score, indicator, scores),
                              "roc_auc": averaged(roc_auc_score, indicator, scores)})

    with open(sys.argv[1], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
