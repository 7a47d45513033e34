using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

/// <summary>A component to restore live: its configuration (where it lives, its hooks) and its section in the snapshot.</summary>
public sealed record LiveComponent(ComponentConfig Config, ComponentSection Section);
