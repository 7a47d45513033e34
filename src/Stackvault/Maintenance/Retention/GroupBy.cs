namespace Stackvault.Maintenance.Retention;

/// <summary>The snapshot fields forget groups by.</summary>
[Flags]
public enum GroupBy
{
    None = 0,
    Host = 1,
    Paths = 2,
    Tags = 4,
}
