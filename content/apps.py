from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"

    def ready(self):
        from lms.navigation import NavItem, nav_register

        def everyone(user) -> bool:
            return True

        nav_register(
            NavItem(70, "Ressources", "content:resources", visible=everyone, current_path="/ressources/"),
            NavItem(
                71,
                "Référentiel de compétences",
                "content:framework",
                visible=everyone,
                current_path="/referentiel/",
            ),
            NavItem(72, "Glossaire", "content:glossary", visible=everyone, current_path="/glossaire/"),
        )
