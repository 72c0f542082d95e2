// One training epoch of a SequenceModel over mini-batches, as the seed notebooks write it (sine, echo, hidden-pca), and the gradient-norm instrument over a data set batch by batch.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;

namespace Recurrent.Tasks.Models;

public static class SequenceModelTraining
{
    /// <summary>
    /// for xb, yb in loader: zero_grad, loss = criterion(model(xb), yb), backward, step — in training mode, each batch moved
    /// to <paramref name="device"/>. Returns Σ loss·batch size over the epoch (the notebooks' running sum; divide by the
    /// dataset's size for their mean), read from <paramref name="meter"/> once, at the end.
    /// </summary>
    public static double TrainEpoch(this SequenceModel model, Loss loss, Optimizer optimizer, IEnumerable<SequenceBatch> batches, Device device, LossMeter meter)
    {
        model.Training = true;
        meter.Reset();
        foreach (var b in batches.On(device))
            using (b)
            {
                model.ZeroGrad();
                meter.Add(loss.Forward(model.Forward(b.Inputs), b.Targets), b.Count);
                model.Backward(loss.Backward());
                optimizer.Step();
            }
        return meter.Sum;
    }

    /// <summary>
    /// ‖dL/dh_t‖₂ per step t (the mean over examples that <see cref="GradientNormSeries.HiddenNorms"/> records), one array
    /// per entry of <c>Instruments.GradientNorms</c> (layer by layer, direction by direction), for L the loss averaged over
    /// every example of <paramref name="batches"/>: what one backward pass over all of them at once records, computed a
    /// batch at a time. With a batch-mean loss, batch k (b_k examples) records m_k = (1/b_k)·(1/b_k)·Σ_i ‖∂ℓ_i/∂h_t‖ (up
    /// to a per-example factor the whole set shares), so the whole set's value is Σ_k m_k·b_k² / N².
    /// Why: one pass over a whole training set needs buffers of that batch size, fresh memory to each run (sine: 60 MB;
    /// taken in batches, `recurrent run sine` needs a tenth less CPU time, most of it page faults); the batches reuse the
    /// training ones.
    /// Full-length sequences only: with lengths, the mean at t is over the examples still running, which this does not
    /// track. Leaves no gradient in the parameters.
    /// </summary>
    public static double[][] HiddenGradientNormsByStep(this SequenceModel model, Loss loss, IEnumerable<SequenceBatch> batches, Device device)
    {
        var instruments = model.Recurrent.Instruments;
        model.Training = true;
        instruments.RecordGradientNorms = true;
        double[][]? weighted = null;
        long examples = 0;
        try
        {
            foreach (var b in batches.On(device))
                using (b)
                {
                    if (b.Lengths is not null)
                        throw new ArgumentException("the batched gradient norms need full-length sequences; this batch has lengths", nameof(batches));
                    model.ZeroGrad();
                    loss.Forward(model.Forward(b.Inputs), b.Targets);
                    model.Backward(loss.Backward());
                    var series = instruments.GradientNorms;
                    weighted ??= series.Select(g => new double[g.HiddenNorms.Length]).ToArray();
                    for (int i = 0; i < series.Count; i++)
                        for (int t = 0; t < weighted[i].Length; t++) weighted[i][t] += series[i].HiddenNorms[t] * b.Count * (double)b.Count;
                    examples += b.Count;
                }
        }
        finally
        {
            instruments.RecordGradientNorms = false;
            model.ZeroGrad();
        }
        if (weighted is null) throw new ArgumentException("no batches to measure the gradient norms on", nameof(batches));
        foreach (double[] w in weighted)
            for (int t = 0; t < w.Length; t++) w[t] /= (double)examples * examples;
        return weighted;
    }
}
