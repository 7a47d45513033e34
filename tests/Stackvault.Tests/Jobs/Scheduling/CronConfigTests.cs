using Stackvault.Configuration;

namespace Stackvault.Tests.Jobs.Scheduling;

/// <summary><c>config validate</c> reports a bad cron field with its YAML path and line; good schedules load.</summary>
public sealed class CronConfigTests
{
    private static IReadOnlyList<ConfigProblem> Problems(string jobs)
    {
        var yaml = $"""
            repositories:
              local: {"{"} url: /tmp/repo, password: x {"}"}
            components:
              etc: {"{"} type: files, paths: [/etc] {"}"}
            jobs:
            {jobs}
            """;
        return ConfigLoader.LoadFromText(yaml, "test.yaml", _ => null).Problems;
    }

    [Theory]
    [InlineData("  j: { repository: local, components: [etc], schedule: \"61 3 * * *\" }", "jobs.j.schedule", 6, "minute field: 61 is out of range 0-59")]
    [InlineData("  j: { repository: local, components: [etc], schedule: \"0 3 * JUNE *\" }", "jobs.j.schedule", 6, "month field: 'JUNE' is not a number")]
    [InlineData("  j:\n    repository: local\n    components: [etc]\n    verify: { schedule: \"0 3 * * 9\" }", "jobs.j.verify.schedule", 9, "day-of-week field: 9 is out of range 0-7")]
    [InlineData("  j:\n    repository: local\n    components: [etc]\n    drill: { schedule: \"0 0 31 4 *\" }", "jobs.j.drill.schedule", 9, "day-of-month field: no chosen month")]
    public void Validate_BadCronField_NamedWithPathAndLine(string jobs, string path, int line, string message)
    {
        var problem = Assert.Single(Problems(jobs));
        Assert.Equal((path, line), (problem.YamlPath, problem.Line));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 3 * * MON-FRI")]
    [InlineData("*/5 0-6,22,23 1-7 JAN,jul ?")]
    [InlineData("@every 90s")]
    [InlineData("@weekly")]
    public void Validate_GoodSchedules_NoProblems(string schedule)
    {
        Assert.Empty(Problems($"  j: {"{"} repository: local, components: [etc], schedule: \"{schedule}\", time_zone: Europe/Berlin {"}"}"));
    }
}
