using ILGPU;

namespace ComputeEconomics.Kernels;

/// <summary>
/// A flat indexable buffer. The per-path models read and write through this interface so the
/// same code runs on host memory (<see cref="PtrVec{T}"/>, the cpu backend) and on ILGPU views
/// (<see cref="ViewVec{T}"/>, every ILGPU accelerator).
/// </summary>
public interface IVec<T> where T : unmanaged
{
    /// <summary>Element <paramref name="index"/> (32-bit: scratch, metrics and tables; a batch is sized so they fit).</summary>
    T this[int index] { get; set; }
    /// <summary>Element <paramref name="index"/> (64-bit: the band buffer, indexed by global path).</summary>
    T this[long index] { get; set; }
}

/// <summary>Host memory by pointer: the caller pins the array for the duration of the call.</summary>
public unsafe struct PtrVec<T> : IVec<T> where T : unmanaged
{
    private readonly T* _ptr;

    public PtrVec(T* ptr) { _ptr = ptr; }

    /// <summary>The first element's address (the cpu backend's vector code reads through it).</summary>
    public readonly T* Pointer => _ptr;

    /// <inheritdoc />
    public T this[int index]
    {
        readonly get => _ptr[index];
        set => _ptr[index] = value;
    }

    /// <inheritdoc />
    public T this[long index]
    {
        readonly get => _ptr[index];
        set => _ptr[index] = value;
    }
}

/// <summary>An ILGPU array view (device memory, or host memory on the CPU accelerator).</summary>
public struct ViewVec<T> : IVec<T> where T : unmanaged
{
    private ArrayView<T> _view;

    public ViewVec(ArrayView<T> view) { _view = view; }

    /// <inheritdoc />
    public T this[int index]
    {
        readonly get => _view[index];
        set => _view[index] = value;
    }

    /// <inheritdoc />
    public T this[long index]
    {
        readonly get => _view[index];
        set => _view[index] = value;
    }
}
