using System.Globalization;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>
/// A job's schedule as a CronJob's <c>schedule</c>: cron fields and macros as written; <c>@every D</c> when D is a
/// whole number of minutes dividing an hour, or of hours dividing a day (else a usage error: CronJob cannot say it).
/// </summary>
public static class CronSchedule
{
    public static string From(ScheduleConfig schedule, string job)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Every is not { } every)
        {
            return schedule.Expression == "@annually" ? "@yearly" : schedule.Expression;
        }

        var minutes = every.TotalMinutes;
        if (minutes >= 1 && minutes < 60 && minutes % 1 == 0 && 60 % minutes == 0)
        {
            return minutes == 1 ? "* * * * *" : $"*/{((int)minutes).ToString(CultureInfo.InvariantCulture)} * * * *";
        }

        var hours = every.TotalHours;
        if (hours >= 1 && hours <= 24 && hours % 1 == 0 && 24 % hours == 0)
        {
            return hours == 24 ? "0 0 * * *" : hours == 1 ? "0 * * * *" : $"0 */{((int)hours).ToString(CultureInfo.InvariantCulture)} * * *";
        }

        throw new UsageException(
            $"job {job}: schedule '{schedule.Expression}' has no CronJob equivalent: use cron fields, or minutes dividing an hour or hours dividing a day");
    }
}
