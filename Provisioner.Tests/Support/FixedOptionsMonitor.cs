using Microsoft.Extensions.Options;

namespace Provisioner.Tests.Support;

/// <summary>Options a test sets and may change between calls.</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
