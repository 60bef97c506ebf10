from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """事前绩效评估: assessments of new projects, the expert pool and the approval gate."""

    name = "jixiao.web.assessments"
    verbose_name = "事前绩效评估"

    def ready(self) -> None:
        """The finance bureau's approval of a declaration asks this app's gate first."""
        from jixiao.web.assessments.gate import assessment_gate
        from jixiao.web.cycle.services.gates import register_approval_gate

        register_approval_gate(assessment_gate)
