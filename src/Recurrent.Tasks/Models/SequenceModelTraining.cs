// One training epoch of a SequenceModel over mini-batches, as the seed notebooks write it (sine, echo, hidden-pca).
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
}
