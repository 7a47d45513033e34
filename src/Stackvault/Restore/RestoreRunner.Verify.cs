using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

public sealed partial class RestoreRunner
{
    /// <summary>Reads every restored file back chunk by chunk and checks each chunk's id against the snapshot.</summary>
    private async ValueTask VerifyAsync(string staging, IReadOnlyList<(string Path, Node Node)> files, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, parallel, async (file, ct) =>
        {
            var path = staging + file.Path;
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            long offset = 0;
            foreach (var id in file.Node.Content ?? [])
            {
                var length = (int)repository.Locate(id, BlobType.Data).RawLength;
                var buffer = Stackvault.Buffers.BufferPool.Rent(length);
                try
                {
                    var read = 0;
                    while (read < length)
                    {
                        var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, length - read), offset + read, ct).ConfigureAwait(false);
                        if (n == 0)
                        {
                            throw new StackvaultException($"verify: {file.Path} is shorter than the snapshot says");
                        }

                        read += n;
                    }

                    if (repository.Blobs.Hasher.ComputeId(buffer.AsSpan(0, length)) != id)
                    {
                        throw new StackvaultException($"verify: {file.Path} differs from the snapshot at offset {offset}");
                    }
                }
                finally
                {
                    Stackvault.Buffers.BufferPool.Return(buffer);
                }

                offset += length;
            }

            if (RandomAccess.GetLength(handle) != offset)
            {
                throw new StackvaultException($"verify: {file.Path} has {RandomAccess.GetLength(handle)} bytes, the snapshot says {offset}");
            }
        }).ConfigureAwait(false);
    }
}
