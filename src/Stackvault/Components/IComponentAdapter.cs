using Stackvault.Configuration;

namespace Stackvault.Components;

/// <summary>
/// Turns one configured component into backup sources: makes its consistent source (an engine snapshot, a database
/// copy, a command's stdout) and says where it goes in the snapshot (<c>/&lt;component-name&gt;/...</c>).
/// </summary>
public interface IComponentAdapter
{
    /// <summary>The <c>type:</c> this adapter handles.</summary>
    string Type { get; }

    /// <summary>
    /// Prepares the component. <paramref name="scratchDirectory"/> is private to this component and deleted after the
    /// backup. A failure throws (the component is then recorded as failed); an adapter that fails half-way releases
    /// what it made before throwing.
    /// </summary>
    ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// Prepares only the items of class <paramref name="only"/> (all when null): an adapter whose items of one class
    /// cost a copy (a database) skips that copy when the other class is asked for, and records no counts of what it
    /// did not store. The default prepares everything (the job filters the sources by class afterwards).
    /// </summary>
    ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, ItemClass? only, CancellationToken cancellationToken) =>
        PrepareAsync(component, scratchDirectory, cancellationToken);
}
