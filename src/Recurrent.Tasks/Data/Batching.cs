// Datasets of examples addressed by index, and DataLoader-style minibatches over them, shuffled by our Rng.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>A generator that draws fresh examples from the <see cref="Rng"/> it is given (same seed, same numbers).</summary>
public interface ISequenceTask
{
    /// <summary><paramref name="count"/> new examples, batch-first. The caller owns (and disposes) the batch.</summary>
    SequenceBatch Sample(int count, Rng rng);
}

/// <summary>A fixed set of examples addressed by index (a PyTorch Dataset).</summary>
public interface ISequenceDataset
{
    int Count { get; }

    /// <summary>The examples at <paramref name="indices"/>, in that order, as a new batch the caller owns.</summary>
    SequenceBatch Gather(ReadOnlySpan<int> indices);
}

/// <summary>What torch.utils.data.DataLoader does for the notebooks: fixed-size batches, optionally shuffled each epoch.</summary>
public static class DataLoader
{
    /// <summary>
    /// One epoch of batches of <paramref name="batchSize"/> (the last one smaller unless <paramref name="dropLast"/>,
    /// as DataLoader's drop_last=False). <paramref name="shuffle"/> null keeps the order; otherwise a fresh permutation
    /// is drawn from it when enumeration starts, so enumerating again gives the next epoch's order.
    /// Each batch is a new <see cref="SequenceBatch"/>; dispose it when done.
    /// </summary>
    public static IEnumerable<SequenceBatch> Batches(this ISequenceDataset data, int batchSize, Rng? shuffle = null, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        Arg.Positive(batchSize, nameof(batchSize));
        return Iterate(data, batchSize, shuffle, dropLast);
    }

    private static IEnumerable<SequenceBatch> Iterate(ISequenceDataset data, int batchSize, Rng? shuffle, bool dropLast)
    {
        int n = data.Count;
        int[] order = shuffle is null ? Identity(n) : Permutation(n, shuffle);
        for (int start = 0; start < n; start += batchSize)
        {
            int size = Math.Min(batchSize, n - start);
            if (size < batchSize && dropLast) yield break;
            yield return data.Gather(order.AsSpan(start, size));
        }
    }

    /// <summary>A uniformly random permutation of 0…n−1 (Fisher–Yates, drawing NextInt from the top down).</summary>
    public static int[] Permutation(int n, Rng rng)
    {
        Arg.NotNegative(n, nameof(n));
        ArgumentNullException.ThrowIfNull(rng);
        int[] p = Identity(n);
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    private static int[] Identity(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }
}
