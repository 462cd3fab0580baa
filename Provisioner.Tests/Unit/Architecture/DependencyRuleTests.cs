using NetArchTest.Rules;
using Provisioner.Core.Instances;

namespace Provisioner.Tests.Unit.Architecture;

/// <summary>The dependency rule holds for Core's domain, and the rule itself catches a wrong-way reference.</summary>
public sealed class DependencyRuleTests
{
    [Fact]
    public void Domain_ReferencesNoInfrastructure()
    {
        var domain = Types.InAssembly(typeof(Instance).Assembly).That().ResideInNamespaceMatching($@"^{DependencyRule.DomainNamespace.Replace(".", @"\.")}$");

        DependencyRule.Breaches(domain).Should().BeEmpty();
    }

    [Fact]
    public void DomainTypesElsewhere_ReferenceNoInfrastructure()
    {
        var names = string.Join("|", DependencyRule.DomainTypesElsewhere.Select(t => t.Name));
        var domain = Types.InAssembly(typeof(Instance).Assembly).That().HaveNameMatching($"^({names})$");

        DependencyRule.Breaches(domain).Should().BeEmpty();
    }

    [Fact]
    public void Rule_WrongWayReferences_AreCaughtByName()
    {
        var fixtures = Types.InAssembly(typeof(DependencyRuleTests).Assembly).That().ResideInNamespace("Provisioner.Tests.Unit.Architecture.Fixtures.WrongWay");

        DependencyRule.Breaches(fixtures).Should().BeEquivalentTo(
            "Provisioner.Tests.Unit.Architecture.Fixtures.WrongWay.DomainTypeThatQueriesTheDatabase",
            "Provisioner.Tests.Unit.Architecture.Fixtures.WrongWay.DomainTypeThatUsesPersistence");
    }

    [Fact]
    public void Rule_DomainOnlyReferences_Pass()
    {
        var fixtures = Types.InAssembly(typeof(DependencyRuleTests).Assembly).That().ResideInNamespace("Provisioner.Tests.Unit.Architecture.Fixtures.RightWay");

        DependencyRule.Breaches(fixtures).Should().BeEmpty();
    }
}
