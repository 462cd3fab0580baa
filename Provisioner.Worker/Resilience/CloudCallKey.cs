namespace Provisioner.Worker.Resilience;

/// <summary>One pipeline per provider and region: clouds limit and fail per region.</summary>
public readonly record struct CloudCallKey(string Backend, string Region)
{
    public override string ToString() => $"{Backend}/{Region}";
}
