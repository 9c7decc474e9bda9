using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// WriteBatch as ZooKeeper multi transactions. A multi cannot say "create or update" or "delete if
/// present", so each chunk first asks which nodes exist (all at once, pipelined), then plans
/// setData / create (with missing parents) / delete ops that track the chunk's own effects; if
/// another client changed a node between the look and the multi, the chunk is planned again.
/// </summary>
internal sealed class ZkBatchWriter(ZooKeeperStore store)
{
    /// <summary>Ops per multi, and a byte budget well under the server's 1 MiB jute.maxbuffer.</summary>
    private const int MaxOpsPerMulti = 200;
    private const int MaxBytesPerMulti = 512 * 1024;
    private const int MaxAttempts = 10;

    public async Task WriteAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken)
    {
        await store.EnsureChrootAsync(cancellationToken);
        foreach (var chunk in Chunk(operations))
        {
            await WriteChunkAsync(chunk, cancellationToken);
        }
    }

    private static IEnumerable<List<(KvOperation Op, string Path, byte[] Data)>> Chunk(IReadOnlyList<KvOperation> operations)
    {
        var chunk = new List<(KvOperation, string, byte[])>();
        var bytes = 0;
        foreach (var operation in operations)
        {
            var path = ZkPaths.ToPath(operation.Key);
            if (path == "/")
            {
                throw new ArgumentException("a batch operation has an empty key", nameof(operations));
            }

            var data = operation.Kind == KvOperationKind.Put ? ZkValueCodec.Encode(operation.Value.Span) : [];
            if (chunk.Count > 0 && (chunk.Count >= MaxOpsPerMulti || bytes + data.Length + path.Length > MaxBytesPerMulti))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add((operation, path, data));
            bytes += data.Length + path.Length;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task WriteChunkAsync(List<(KvOperation Op, string Path, byte[] Data)> chunk, CancellationToken cancellationToken)
    {
        var client = store.Client;
        for (var attempt = 0; ; attempt++)
        {
            var paths = chunk.SelectMany(c => ZkPaths.Ancestors(c.Path).Append(c.Path)).Distinct().ToList();
            var stats = await Task.WhenAll(paths.Select(p => client.ExistsAsync(p, null, cancellationToken)));
            var nodes = new Dictionary<string, ZkStat>();
            foreach (var (path, stat) in paths.Zip(stats))
            {
                if (stat is not null)
                {
                    nodes[path] = stat;
                }
            }

            var ops = Plan(chunk, nodes, client.DefaultAcl);
            if (ops.Count == 0)
            {
                return;
            }

            try
            {
                await client.MultiAsync(ops, cancellationToken);
                return;
            }
            catch (ZkException error) when (attempt < MaxAttempts && error.Code is ZkErrorCode.NodeExists or ZkErrorCode.NoNode or ZkErrorCode.NotEmpty or ZkErrorCode.BadVersion)
            {
                // Raced with another writer; look again.
            }
        }
    }

    /// <summary>The multi ops for a chunk, given which nodes exist now (and how many children they have).</summary>
    private static List<IZkRequest> Plan(List<(KvOperation Op, string Path, byte[] Data)> chunk, Dictionary<string, ZkStat> existing, IReadOnlyList<ZkAcl> acl)
    {
        // What the chunk's own ops do to the tree: node -> (exists, children count, is key).
        var exists = existing.ToDictionary(e => e.Key, _ => true);
        var children = existing.ToDictionary(e => e.Key, e => e.Value.NumChildren);
        var isKey = existing.ToDictionary(e => e.Key, e => ZkValueCodec.IsKey(e.Value.DataLength));
        var ops = new List<IZkRequest>();

        void Create(string path, byte[] data)
        {
            ops.Add(new ZkCreateRequest(path, data, acl, ZkCreateMode.Persistent));
            exists[path] = true;
            children[path] = 0;
            isKey[path] = data.Length > 0;
            var parent = ZkPaths.Parent(path);
            children[parent] = children.GetValueOrDefault(parent) + 1;
        }

        foreach (var (op, path, data) in chunk)
        {
            var present = exists.GetValueOrDefault(path);
            if (op.Kind == KvOperationKind.Put)
            {
                if (present)
                {
                    ops.Add(new ZkSetDataRequest(path, data, -1));
                    isKey[path] = true;
                    continue;
                }

                foreach (var ancestor in ZkPaths.Ancestors(path).Where(a => !exists.GetValueOrDefault(a)))
                {
                    Create(ancestor, []);
                }

                Create(path, data);
            }
            else if (present && isKey.GetValueOrDefault(path))
            {
                if (children.GetValueOrDefault(path) > 0)
                {
                    // Also a directory: keep the node as a parent only.
                    ops.Add(new ZkSetDataRequest(path, ReadOnlyMemory<byte>.Empty, -1));
                }
                else
                {
                    ops.Add(new ZkDeleteRequest(path, -1));
                    exists[path] = false;
                    var parent = ZkPaths.Parent(path);
                    children[parent] = children.GetValueOrDefault(parent) - 1;
                }

                isKey[path] = false;
            }
        }

        return ops;
    }
}
