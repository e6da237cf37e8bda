namespace Workplace.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline: the only way tests synchronise.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.", last);
    }

    public static Task UntilAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        UntilAsync<object>(async () => await probe() ? true : null, timeout, what);
}
