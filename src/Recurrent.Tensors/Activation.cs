// The pointwise nonlinearities the recurrent cells use.
namespace Recurrent.Tensors;

public enum Activation
{
    Sigmoid,
    Tanh,
    Relu,
}
