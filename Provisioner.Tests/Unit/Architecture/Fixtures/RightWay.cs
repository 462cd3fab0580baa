namespace Provisioner.Tests.Unit.Architecture.Fixtures.RightWay;

/// <summary>A domain type that keeps the rule: it knows only the domain.</summary>
public sealed class DomainTypeThatKeepsTheRule
{
    public static bool IsFinal(Provisioner.Core.Instances.InstanceStatus status) => Provisioner.Core.Instances.InstanceLifecycle.IsFinal(status);
}
