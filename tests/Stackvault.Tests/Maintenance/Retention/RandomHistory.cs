using Stackvault.Maintenance.Retention;

namespace Stackvault.Tests.Maintenance.Retention;

/// <summary>Random snapshot histories (bursts and spread-out times over 3 years, random tags) and random policies.</summary>
internal sealed class RandomHistory(int seed)
{
    private static readonly string[] TagPool = ["daily", "manual", "pre-upgrade", "weekly"];
    private static readonly DateTimeOffset Start = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Random _random = new(seed);

    public List<RetentionCandidate> Snapshots(int maxCount = 80)
    {
        var count = _random.Next(0, maxCount + 1);
        var result = new List<RetentionCandidate>(count);
        var burst = Start;
        for (var i = 0; i < count; i++)
        {
            if (i == 0 || _random.Next(4) == 0)
            {
                burst = Start.AddSeconds(_random.NextInt64(0, 3L * 365 * 24 * 3600));
            }

            // Within a burst: minutes to days apart, so hours, days and weeks hold several snapshots.
            var time = burst.AddSeconds(_random.Next(0, _random.Next(2) == 0 ? 7200 : 10 * 86400));
            var tags = TagPool.Where(_ => _random.Next(5) == 0).ToList();
            result.Add(new RetentionCandidate(i.ToString("x8") + Guid.NewGuid().ToString("N"), time, tags, _random.Next(5) != 0));
        }

        return result;
    }

    public RetentionPolicy Policy()
    {
        int Rule() => _random.Next(2) == 0 ? 0 : _random.Next(1, 12);
        return new RetentionPolicy
        {
            Last = Rule(), Hourly = Rule(), Daily = Rule(), Weekly = Rule(), Monthly = Rule(), Yearly = Rule(),
            Within = _random.Next(3) == 0 ? new KeepDuration(_random.Next(0, 2), _random.Next(0, 4), _random.Next(0, 20), _random.Next(0, 48)) : null,
            Tags = TagPool.Where(_ => _random.Next(6) == 0).ToList(),
        };
    }

    public bool Bool() => _random.Next(2) == 0;
}
