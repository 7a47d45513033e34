using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Verify;

public sealed partial class Checker
{
    /// <summary>Walks every snapshot's trees once each; names the snapshots that need a bad or missing blob.</summary>
    private async ValueTask WalkTreesAsync(List<(ObjectId Id, Snapshot Snapshot)> snapshots, CancellationToken cancellationToken)
    {
        var treeState = new Dictionary<ObjectId, List<CheckProblem>>();
        foreach (var (id, snapshot) in snapshots)
        {
            var bad = new List<CheckProblem>();
            await WalkAsync(snapshot.Tree, "/", treeState, bad, cancellationToken).ConfigureAwait(false);
            foreach (var problem in bad.Distinct())
            {
                if (!problem.Snapshots.Contains(id.ToShortString()))
                {
                    problem.Snapshots.Add(id.ToShortString());
                }
            }
        }

        _result.Trees = treeState.Count;
    }

    private async ValueTask WalkAsync(ObjectId treeId, string path, Dictionary<ObjectId, List<CheckProblem>> treeState, List<CheckProblem> bad, CancellationToken cancellationToken)
    {
        if (BlobProblem(treeId) is { } known)
        {
            bad.Add(known);
            return;
        }

        Tree tree;
        try
        {
            tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException e)
        {
            var problem = new CheckProblem($"tree {treeId.ToShortString()} ({path})", e.Message);
            _result.Errors.Add(problem);
            lock (_badBlobs)
            {
                _badBlobs.Add(treeId);
                _blobProblems[treeId] = problem;
            }

            bad.Add(problem);
            return;
        }

        if (treeState.TryGetValue(treeId, out var memo))
        {
            // Seen before: its problems are recorded; only the snapshot attribution is needed again.
            bad.AddRange(memo);
            return;
        }

        var below = new List<CheckProblem>();
        await WalkNodesAsync(treeId, tree, path, treeState, below, cancellationToken).ConfigureAwait(false);
        treeState[treeId] = below;
        bad.AddRange(below);
    }

    private async ValueTask WalkNodesAsync(ObjectId treeId, Tree tree, string path, Dictionary<ObjectId, List<CheckProblem>> treeState, List<CheckProblem> bad, CancellationToken cancellationToken)
    {
        foreach (var node in tree.Nodes)
        {
            foreach (var blob in node.Content ?? [])
            {
                if (!repository.Index.Contains(blob))
                {
                    var problem = MissingBlob(blob, path + node.Name);
                    bad.Add(problem);
                }
                else if (BlobProblem(blob) is { } p)
                {
                    bad.Add(p);
                }
            }

            if (node.Type == NodeType.Directory)
            {
                if (node.Subtree is not { } sub)
                {
                    var problem = new CheckProblem($"tree {treeId.ToShortString()} ({path})", $"directory {node.Name} has no valid subtree id");
                    _result.Errors.Add(problem);
                    bad.Add(problem);
                    continue;
                }

                await WalkAsync(sub, path + node.Name + "/", treeState, bad, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private CheckProblem? BlobProblem(ObjectId blob)
    {
        lock (_badBlobs)
        {
            return _blobProblems.GetValueOrDefault(blob);
        }
    }

    private CheckProblem MissingBlob(ObjectId id, string path)
    {
        var problem = new CheckProblem($"blob {id.ToShortString()}", $"needed by {path} but in no index");
        _result.Errors.Add(problem);
        lock (_badBlobs)
        {
            _badBlobs.Add(id);
            _blobProblems[id] = problem;
        }

        return problem;
    }
}
