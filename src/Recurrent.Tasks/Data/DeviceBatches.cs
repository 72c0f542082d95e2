// Batches are made on the host (the generators fill spans); these move them to the device the model computes on.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

public static class DeviceBatches
{
    /// <summary>
    /// <paramref name="batch"/> on <paramref name="device"/>: the batch itself when the device reads host memory (any
    /// CPU device), otherwise a copy there — the upload is queued, not waited for — and the host batch is disposed,
    /// having been only a staging area. Lengths stay on the host (the layers take them as int[]).
    /// </summary>
    public static SequenceBatch On(this SequenceBatch batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(device);
        if (device.SharesMemoryWith(batch.Inputs.Device)
            && device.SharesMemoryWith(batch.Targets.Device)
            && (batch.TargetMask is null || device.SharesMemoryWith(batch.TargetMask.Device)))
            return batch;
        using (batch)
            return new SequenceBatch(Move(batch.Inputs, device), Move(batch.Targets, device), batch.TargetMask is null ? null : Move(batch.TargetMask, device), batch.Lengths);
    }

    /// <summary>Each batch of <paramref name="batches"/> moved as <see cref="On(SequenceBatch, Device)"/> does, as it is enumerated.</summary>
    public static IEnumerable<SequenceBatch> On(this IEnumerable<SequenceBatch> batches, Device device)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(device);
        return batches.Select(b => b.On(device));
    }

    /// <summary>
    /// A copy of <paramref name="batch"/> on <paramref name="device"/> that the caller owns, the original kept: for a set
    /// that is both cut into host batches (Gather reads host memory) and read whole by the model.
    /// </summary>
    public static SequenceBatch CopyOn(this SequenceBatch batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(device);
        return new SequenceBatch(Move(batch.Inputs, device), Move(batch.Targets, device), batch.TargetMask is null ? null : Move(batch.TargetMask, device), batch.Lengths);
    }

    private static Tensor Move(Tensor t, Device device) => device.SharesMemoryWith(t.Device) ? t.Clone() : t.To(device);
}
