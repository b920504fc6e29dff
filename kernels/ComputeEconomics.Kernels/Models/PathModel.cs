namespace ComputeEconomics.Kernels.Models;

/// <summary>
/// Where one path reads and writes. Every buffer is flat; the indices below say where this path's
/// slice starts. Scratch is laid out field-major with a stride so that on a GPU neighbouring threads
/// touch neighbouring addresses (coalesced), and on the cpu backend a thread's own small buffer is used
/// with stride 1.
/// </summary>
public struct PathSlot
{
    /// <summary>Global path index (the Philox key).</summary>
    public long Path;
    /// <summary>First element of this path's metrics (metric k at MetricBase + k * MetricStride).</summary>
    public int MetricBase;
    /// <summary>Distance between consecutive metrics of one path (the batch size: metric-major, so a GPU's
    /// neighbouring threads write neighbouring addresses and each metric's column copies to the host in one piece).</summary>
    public int MetricStride;
    /// <summary>First element of this path's monthly series, or -1 when the path records no bands.
    /// Month t, series s at BandBase + t * SeriesCount + s.</summary>
    public long BandBase;
    /// <summary>Scratch element j of this path is at ScratchBase + j * ScratchStride.</summary>
    public int ScratchBase;
    /// <summary>Distance between consecutive scratch elements of one path.</summary>
    public int ScratchStride;
}

/// <summary>
/// A per-path model: fleet, lab, sector or the bare market. Implemented by unmanaged structs that
/// carry their parameters by value; the very same method runs on the cpu backend and inside ILGPU kernels.
/// </summary>
public interface IPathModel
{
    /// <summary>Simulate one path: read <paramref name="data"/> (read-only tables), use scratch, write metrics and bands.</summary>
    void Simulate<TMath, TD, TF>(in PathSlot slot, TD data, TD scratch, TD metrics, TF bands)
        where TMath : struct, IMathPolicy
        where TD : struct, IVec<double>
        where TF : struct, IVec<float>;

    /// <summary>
    /// Add <paramref name="shift"/> to every offset into the data buffer: used on the host when the tables of
    /// several variants (sweep points) are concatenated into one buffer for one launch.
    /// </summary>
    void ShiftDataOffsets(int shift);
}
