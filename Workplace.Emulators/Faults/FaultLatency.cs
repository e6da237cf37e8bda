namespace Workplace.Emulators.Faults;

/// <summary>
/// A <see cref="FaultKind.Latency"/> fault as a provider has latency: the answer leaves <see cref="Fault.LatencyMs"/>
/// after the request came in, whatever part of that the emulator spent working it out. Added on top instead, the
/// emulator's own CPU (a search over its sample workspace) would count as provider latency in a benchmark of the product.
/// </summary>
public static class FaultLatency
{
    public static async ValueTask<object?> AnswerAfterAsync(Fault fault, HttpContext http, Func<ValueTask<object?>> answer)
    {
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var arrived = time.GetTimestamp();
        var result = await answer();
        var left = TimeSpan.FromMilliseconds(fault.LatencyMs ?? 1000) - time.GetElapsedTime(arrived);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, time, http.RequestAborted);
        }
        return result;
    }
}
