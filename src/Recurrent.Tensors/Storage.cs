// A device buffer of elements; Tensors are (storage, offset, shape) views of it.
namespace Recurrent.Tensors;

public abstract class Storage : IDisposable
{
    protected Storage(Device device, DType dtype, long length)
    {
        Device = device;
        DType = dtype;
        Length = length;
    }

    public Device Device { get; }
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public long Length { get; }

    public long Bytes => Length * DType.SizeInBytes();

    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    ~Storage()
    {
        if (!IsDisposed) Release();
    }

    /// <summary>Frees the device memory; called once, from Dispose or the finalizer.</summary>
    protected abstract void Release();

    internal void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(Storage), "the tensor's storage was disposed");
    }
}
