// Bad input found on the device: kernels record the first one in four error words; the next host read throws it.
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

/// <summary>
/// Why the device, not the host, checks indices, targets and lengths: checking on the host means reading them back, a
/// wait for the whole queue on every training step. Instead the kernels that could read or write out of bounds clamp
/// (a bad row reads as zeros, gets no gradient, is not counted) and record the first offence with
/// report_error (common.cl): code, position, value, bound. Every host read fetches those words in the same queue, at
/// no extra wait, and throws the error the CPU device would have thrown at the call — so bad input is still a clear
/// error naming the argument and the position, only raised at the next Item()/ToArray()/Synchronize.
/// </summary>
public sealed partial class OpenClDevice
{
    private const int ErrorWords = 4; // code, position, value, bound
    private readonly ClMemHandle _errors;

    /// <summary>Codes of report_error; keep in step with common.cl.</summary>
    private enum KernelError
    {
        None = 0,
        EmbeddingIndex = 1,
        ClassTarget = 2,
        SequenceLength = 3,
        ProbabilityTarget = 4,
        ProbabilityInput = 5,
    }

    private void ThrowKernelError(ReadOnlySpan<int> words)
    {
        var (code, position, value, bound) = ((KernelError)words[0], words[1], words[2], words[3]);
        ZeroFill(_errors, ErrorWords * sizeof(int)); // reported once; the next read starts clean
        string found = $" (found by a kernel on {Name}; reported at this read, the first host read after it)";
        float real = BitConverter.Int32BitsToSingle(value);
        throw code switch
        {
            KernelError.EmbeddingIndex => new ArgumentOutOfRangeException("indices", value,
                $"indices[{position}] = {value} is outside [0, {bound}): the vocabulary has {bound} rows{found}."),
            KernelError.ClassTarget => new ArgumentOutOfRangeException("targets", value,
                $"targets[{position}] = {value} is outside [0, {bound}) (the {bound} classes) and is not the ignore index{found}."),
            KernelError.SequenceLength => new ArgumentOutOfRangeException("lengths", value,
                $"lengths[{position}] = {value} is outside [0, {bound}] (the {bound} steps of x){found}."),
            KernelError.ProbabilityTarget => new ArgumentException(
                $"target element {position} (flat) = {real} is outside [0, 1]; target must hold probabilities{found}.", "target"),
            KernelError.ProbabilityInput => new ArgumentException(
                $"input element {position} (flat) = {real} is outside [0, 1]; input must hold probabilities{found}.", "input"),
            _ => new InvalidOperationException($"a kernel on {Name} reported error code {(int)code} at {position} (value {value}, bound {bound}){found}"),
        };
    }
}
