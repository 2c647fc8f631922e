"""The training half of the exported NumPy script, as source text: the epoch loop with
the Trainer's batching, shuffling, validation, early stopping and divergence check (see
trainer.py), the scores, and main() with its few command-line options."""

from __future__ import annotations

from .experiment import Experiment
from .export_code import code, joined, section


def training_code(experiment: Experiment, mini_batch: bool, validation: bool,
                  early: bool) -> str:
    """count_correct/evaluate and train() for this project's task and settings."""
    task = experiment.dataset.task
    loss = experiment.trainer.loss.name
    parts = [section("Training"), _scores(task, loss)]
    if mini_batch:
        step = code('''
            <<sums>>
            order = rng.permutation(n)  # a new shuffle every epoch
            for start in range(0, n, BATCH_SIZE):
                rows = order[start:start + BATCH_SIZE]  # the last batch may be smaller
                z, a = forward(X[rows], W, b)
                loss, dW, db = backward(W, z, a, Y[rows])
                if overflowed(loss, dW):
                    return history, diverged(epoch)
                update(dW[1:] + db[1:])  # the loss and scores are the batch's before its step
                loss_sum += loss * len(rows)
                <<correct>>
            train_loss = loss_sum / n
        ''', correct="correct += count_correct(a[-1], Y[rows], labels[rows])"
             if task != "regression" else "",
            sums="loss_sum = 0" if task == "regression" else "loss_sum = correct = 0")
        shuffle = "\n    rng = np.random.default_rng(SEED)  # shuffles the samples every epoch"
    else:
        step = code('''
            z, a = forward(X, W, b)  # full batch: every sample in every step
            loss, dW, db = backward(W, z, a, Y)
            if overflowed(loss, dW):
                return history, diverged(epoch)
            update(dW[1:] + db[1:])  # the loss and scores are those before the step
            train_loss = loss
            <<correct>>
        ''', correct="correct = count_correct(a[-1], Y, labels)" if task != "regression" else "")
        shuffle = ""
    step = "\n".join("        " + line if line.strip() else "" for line in step.splitlines())
    step = "\n".join(line for line in step.splitlines() if line.strip())
    if task == "regression":
        metric = "metric = 1 - 2 * n * train_loss / ss_tot  # R² = 1 − SS_res/SS_tot, SS_res = 2·n·L"
        ss_tot = "\n    ss_tot = sum_of_squares(Y)"
    else:
        metric, ss_tot = "metric = correct / n  # accuracy", ""
    val = ("val_loss, val_metric = evaluate(W, b, validation_set)" if validation
           else "val_loss = val_metric = math.nan  # no validation set")
    best = ("\n    best_val_loss, best_epoch, best = math.inf, 0, None  # early stopping"
            if early else "")
    stop = code('''
            # early stopping: go back to the weights of the best validation loss once it has
            # not improved for PATIENCE epochs
            if val_loss < best_val_loss:
                best_val_loss, best_epoch = val_loss, epoch
                best = [theta.copy() for theta in params]
            elif epoch - best_epoch >= PATIENCE:
                for theta, kept in zip(params, best):
                    theta[...] = kept
                return history, (f"early stopping at epoch {epoch}: the validation loss has not "
                                 f"improved for {PATIENCE} epochs; weights restored from epoch "
                                 f"{best_epoch} (validation loss {best_val_loss:.4g})")
    ''') if early else ""
    stop = "\n".join("        " + line if line.strip() else "" for line in stop.splitlines())
    parts.append(code('''
        def overflowed(loss, dW):
            """True if the loss or a gradient is inf or NaN: that step would ruin the weights."""
            return not math.isfinite(loss + sum(float(np.sum(g * g)) for g in dW[1:]))
    '''))
    parts.append(epoch_loop_code(
        "W, b, train_set, validation_set, epochs",
        """Epochs of gradient steps on (X, Y, labels), W and b updated in place; returns the
    history, one (epoch, loss, <<metric_name>>, validation loss, validation <<metric_name>>)
    per epoch, and why training stopped.""".replace("<<metric_name>>", _metric(task)),
        setup="\n    params = W[1:] + b[1:]\n    update = optimizer(params)" + shuffle + ss_tot + best,
        step=step, metric=metric, val=val, stop=stop))
    return joined(parts[0], parts[1:])


def _metric(task: str) -> str:
    return "R²" if task == "regression" else "accuracy"


def _scores(task: str, loss: str) -> str:
    if task == "regression":
        return code(f'''
            def sum_of_squares(Y):
                """SS_tot = Σ (y − ȳ)², for R² = 1 − SS_res/SS_tot (1 when every y is the same)."""
                return float(((Y - Y.mean(axis=0)) ** 2).sum()) or 1.0


            def evaluate(W, b, data):
                """The loss and R² of the weights on (X, Y, values), without training."""
                X, Y, _ = data
                z, a = forward(X, W, b)
                loss, _ = {loss}(z[-1], a[-1], Y)
                return loss, 1 - 2 * loss * len(X) / sum_of_squares(Y)
        ''') + "\n\n" + show_code(task)
    if task == "binary":
        correct = code('''
            def count_correct(a_L, Y, labels):
                """How many samples are classified right: ŷ > 0.5 means class 1."""
                return int(np.count_nonzero((a_L > 0.5) == (Y > 0.5)))
        ''')
    else:
        correct = code('''
            def count_correct(a_L, Y, labels):
                """How many samples are classified right: the class of the largest output."""
                return int(np.count_nonzero(a_L.argmax(axis=1) == labels))
        ''')
    return correct + "\n\n" + code(f'''
        def evaluate(W, b, data):
            """The loss and accuracy of the weights on (X, Y, labels), without training."""
            X, Y, labels = data
            z, a = forward(X, W, b)
            loss, _ = {loss}(z[-1], a[-1], Y)
            return loss, count_correct(a[-1], Y, labels) / len(X)
    ''') + "\n\n" + show_code(task)


def show_code(task: str) -> str:
    """show(): one line of progress."""
    if task == "regression":
        return code('''
            def show(epoch, loss, r2, val_loss, val_r2):
                text = f"epoch {epoch:>7,}  loss {loss:<11.6g}  R² {r2:8.4f}"
                if not math.isnan(val_loss):
                    text += f"   validation: loss {val_loss:<11.6g}  R² {val_r2:8.4f}"
                print(text)
        ''')
    return code('''
        def show(epoch, loss, accuracy, val_loss, val_accuracy):
            text = f"epoch {epoch:>7,}  loss {loss:<11.6g}  accuracy {accuracy:6.1%}"
            if not math.isnan(val_loss):
                text += f"   validation: loss {val_loss:<11.6g}  accuracy {val_accuracy:6.1%}"
            print(text)
    ''')


def epoch_loop_code(signature: str, doc: str, setup: str, step: str, metric: str, val: str,
                    stop: str) -> str:
    """diverged() and train(): the epoch loop both scripts share (its history, its printing,
    its three ends). `setup` goes after `n = len(X)`; `step` and `stop`, one epoch's steps
    and the early-stopping check, come indented for the loop's body."""
    loop = code('''
        def diverged(epoch):
            return (f"diverged at epoch {epoch}: the loss or a gradient overflowed; lower the "
                    f"learning rate (now {LEARNING_RATE:g}). The weights are the last finite ones.")


        def train(<<signature>>):
            """<<doc>>"""
            X, Y, labels = train_set
            n = len(X)<<setup>>
            history = []
            print_every = max(1, epochs // 10)
            for epoch in range(1, epochs + 1):
        <<step>>
                <<metric>>
                <<val>>
                history.append((epoch, train_loss, metric, val_loss, val_metric))
                if epoch == 1 or epoch % print_every == 0:
                    show(epoch, train_loss, metric, val_loss, val_metric)
        <<stop>>
            return history, f"reached the limit of {epochs:,} epochs"
    ''', signature=signature, doc=doc, setup=setup, step=step, metric=metric, val=val,
        stop=stop.rstrip())
    return loop.replace("\n\n    return history, f", "\n    return history, f")  # no early stopping


def report_code(task: str) -> str:
    """report() of the final scores and write_losses() of the history."""
    column = "r2" if task == "regression" else "accuracy"
    metric = "R² {metric:.4f}" if task == "regression" else "accuracy {metric:.1%}"
    return code('''
        def report(name, loss, metric):
            print(f"{name + ':':<12}loss {loss:.6g}, <<metric>>")


        def write_losses(history, path):
            """One row per epoch, numbers written exactly (repr), for any plotting tool; the
            columns of the program's history.csv, a missing value (no validation) empty."""
            with open(path, "w", encoding="utf-8") as file:
                file.write("epoch,train_loss,val_loss,<<column>>,val_<<column>>\\n")
                for epoch, train_loss, metric, val_loss, val_metric in history:
                    values = (float(v) for v in (train_loss, val_loss, metric, val_metric))
                    file.write(",".join([str(epoch), *("" if math.isnan(v) else repr(v) for v in values)])
                               + "\\n")
    ''', metric=metric, column=column)


def parser_code(trained: bool) -> str:
    """The first lines of main(): its command-line options, parsed into `args`."""
    start = code('''
        parser.add_argument("--start", choices=["trained", "initial"], default=START,
                            help="the trained weights or the initial ones (default: %(default)s)")
    ''') if trained else ""
    return code('''
        parser = argparse.ArgumentParser(description=__doc__.split("\\n\\n")[0])
        parser.add_argument("--epochs", type=int, default=EPOCHS,
                            help="how many epochs at most (default: %(default)s)")
        <<start>>parser.add_argument("--losses", metavar="CSV", help="write every epoch's loss to this file")
        parser.add_argument("--save-weights", metavar="NPZ",
                            help="save the trained W1.., b1.. to this .npz file")
        args = parser.parse_args()
    ''', start=start)


def indented(text: str, spaces: int = 4) -> str:
    return "\n".join(" " * spaces + line if line.strip() else "" for line in text.splitlines())


def main_code(experiment: Experiment, trained: bool) -> str:
    """main(): the options, the run, the final scores and the optional files."""
    task = experiment.dataset.task
    start = ('trained_weights() if args.start == "trained" else initial_weights()' if trained
             else "initial_weights()")
    predictions = ""
    if task == "binary" and len(experiment.train_set.X) <= 16:
        predictions = indented(code('''
            _, a = forward(train_set[0], W, b)
            print("predictions (ŷ > 0.5):", (a[-1] > 0.5).astype(int).ravel(), " targets:", train_set[2])
        ''')) + "\n"
    return report_code(task) + "\n\n" + code('''
        def main():
        <<parser>>
            train_set, validation_set = prepared_data()
            W, b = <<start>>
            print(f"{len(train_set[0])} training samples, a {'-'.join(map(str, LAYER_SIZES))} network")
            # an overflow shows up as inf or NaN in the loss, which stops training: no warnings
            with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
                history, reason = train(W, b, train_set, validation_set, args.epochs)
                print(f"stopped: {reason}")
                report("train", *evaluate(W, b, train_set))
                if validation_set is not None:
                    report("validation", *evaluate(W, b, validation_set))
        <<predictions>>    if args.losses:
                write_losses(history, args.losses)
            if args.save_weights:
                L = len(W) - 1
                np.savez(args.save_weights, **{f"W{l}": W[l] for l in range(1, L + 1)},
                         **{f"b{l}": b[l] for l in range(1, L + 1)})
    ''', parser=indented(parser_code(trained)), start=start, predictions=predictions)
