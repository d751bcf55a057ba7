"""The demo content loaded by `manage.py load_demo`: pages, competency framework, glossary,
resource library, regions, cohorts and demo accounts.

Plain data, kept apart from the command so that the command reads as a sequence of steps. The
French texts are written for the platform from the facts of `/work/shared/reference/` (EHESP
brochure, ARS Normandie regional CLS guide 2025, competency framework 2023); none is a copy.
Lesson bodies use the StreamField raw format: a list of {"type", "value"} dicts, built with the
small helpers below so that the lessons stay readable.
"""

from __future__ import annotations

import datetime

# --- Helpers producing StreamField raw data ------------------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def text(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(kind: str, title: str, html: str) -> dict:
    """kind: "info", "important" (À retenir) or "example"."""
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def question(text: str, choices: list[tuple[str, bool]], review_hint: str) -> dict:
    return {
        "text": text,
        "choices": [{"text": label, "correct": correct} for label, correct in choices],
        "review_hint": review_hint,
    }


def knowledge_check(questions: list[dict], title: str = "Vérifiez vos connaissances") -> dict:
    return {
        "type": "knowledge_check",
        "value": {"title": title, "pass_mark": 70, "questions": questions},
    }


# --- Site pages ----------------------------------------------------------------------------------

SITE_NAME = "DE Coordinateur d'un contrat local de santé"

HOME = {
    "title": "Accueil",
    "slug": "accueil",
    "lead": (
        "La plateforme de formation du diplôme d'établissement « Coordinateur d'un contrat "
        "local de santé » de l'EHESP : des modules en ligne à suivre à votre rythme, des "
        "séminaires dans votre région et un accompagnement jusqu'au mémoire."
    ),
    "body": (
        "<p>Le contrat local de santé (CLS) associe une agence régionale de santé et une "
        "collectivité territoriale pour réduire les inégalités sociales et territoriales de "
        "santé. Sa réussite tient pour beaucoup à la personne qui le coordonne : c'est à elle "
        "que s'adresse ce parcours diplômant, financé par les ARS.</p>"
        "<p><b>Pour qui ?</b> Les coordonnatrices et coordonnateurs de CLS en poste ou en prise "
        "de poste, avec l'accord conjoint de leur ARS et de leur collectivité employeuse.</p>"
        "<p><b>Comment ?</b> Quatre modules socles obligatoires et deux modules "
        "d'approfondissement au choix, qui combinent e-learning, présentiel régional et "
        "travail au sein de votre organisation, pour 130 à 152 heures au total. Le diplôme "
        "est délivré après les productions écrites, un mémoire de 10 à 20 pages et sa "
        "soutenance.</p>"
    ),
}

PROGRAMME = {
    "title": "Diplôme d'établissement Coordinateur d'un contrat local de santé",
    "slug": "programme",
    "hours_min": "130",
    "hours_max": "152",
    "intro": (
        "<p>Ce parcours hybride prépare à coordonner un contrat local de santé : se situer dans "
        "la collectivité signataire, organiser la mise en œuvre du projet de santé du "
        "territoire et l'inscrire dans une démarche de réduction des inégalités sociales de "
        "santé.</p>"
        "<p>Il comprend <b>quatre modules socles</b> (CLS mode d'emploi ; Animation et "
        "gouvernance d'un CLS ; Les concepts cadres du CLS ; Évaluation d'un CLS) et <b>deux "
        "modules d'approfondissement</b> à choisir parmi Méthodologie de projet en santé "
        "publique, Santé environnement et Santé mentale.</p>"
        "<p>Chaque module se suit en trois temps : des leçons en ligne, des séminaires "
        "régionaux organisés par l'ARS et ses partenaires, et du travail mené dans votre "
        "propre organisation. Selon les options retenues, le parcours compte de 130 à 152 "
        "heures.</p>"
    ),
}

ABOUT_PAGE = {
    "title": "À propos de la formation",
    "slug": "a-propos",
    "body": [
        heading("Un diplôme pour un métier récent"),
        text(
            "<p>Issus de la loi « Hôpital, patients, santé et territoires » de 2009, les "
            "contrats locaux de santé se sont multipliés : on en comptait 333 en 2019 et 366 en "
            "2022, avec 141 autres en préparation. Leur coordination demande des compétences de "
            "gestion de projet, de connaissance du système de santé, d'animation et de "
            "négociation que peu de formations initiales réunissent.</p>"
            "<p>L'EHESP a conçu ce diplôme d'établissement avec le ministère chargé de la santé, "
            "les agences régionales de santé et des associations d'élus, dans le cadre du "
            "programme PACTE CLS. La formation est gratuite pour les participants : elle est "
            "prise en charge par l'ARS de leur région.</p>"
        ),
        heading("Organisation"),
        text(
            "<ul><li><b>E-learning</b> : 20 heures pour les modules socles, plus 8 à 10 heures "
            "selon les options.</li>"
            "<li><b>Présentiel</b> : 48 heures, plus 12 à 24 heures selon les options, lors de "
            "séminaires régionaux (72 heures au plus sont prises en compte, délivrées par un "
            "organisme certifié Qualiopi).</li>"
            "<li><b>Au sein de l'organisation</b> : 30 heures, plus 12 à 20 heures selon les "
            "options, déclarées puis validées par l'ARS.</li></ul>"
        ),
        heading("Régions concernées"),
        text(
            "<p>Bretagne, Centre-Val de Loire, Grand Est, Guyane, Île-de-France, Occitanie, "
            "Provence-Alpes-Côte d'Azur et La Réunion. L'ARS de votre région est votre "
            "interlocutrice pour la candidature et le calendrier.</p>"
        ),
        callout(
            "important",
            "Validation du diplôme",
            "<p>Le diplôme suppose d'avoir suivi les modules en ligne et les heures de "
            "présentiel, déposé les productions écrites attendues, puis rédigé et soutenu un "
            "mémoire de 10 à 20 pages portant sur un projet mené comme coordonnateur·rice ou "
            "sur une réflexion au bénéfice du CLS.</p>",
        ),
    ],
}

# --- Competency framework (référentiel de compétences, 2023, and the coordination sheet) ---------
# kind: "knowledge" (savoirs), "skill" (savoir-faire), "attitude" (savoir-être).

COMPETENCY_DOMAINS = [
    {
        "code": "D1",
        "title": "Coordonner l'élaboration, la mise en œuvre et l'évaluation du CLS",
        "description": (
            "Identifier les enjeux et les ressources du territoire, puis conduire le CLS de son "
            "diagnostic à son évaluation en rendant compte aux signataires."
        ),
        "competencies": [
            (
                "D1.1",
                "skill",
                "Piloter le diagnostic local de santé en intégrant l'analyse des "
                "déterminants de santé liés aux conditions de vie",
            ),
            (
                "D1.2",
                "skill",
                "Dégager les priorités de santé du territoire en cohérence avec le "
                "projet régional de santé et la feuille de route territoriale",
            ),
            (
                "D1.3",
                "skill",
                "Repérer les ressources du territoire et capitaliser les "
                "connaissances, expériences et savoir-faire",
            ),
            (
                "D1.4",
                "skill",
                "Élaborer le plan d'action : prioriser les actions, formuler les "
                "objectifs et construire les outils de suivi",
            ),
            (
                "D1.5",
                "skill",
                "Suivre le déploiement des fiches actions avec leurs pilotes et "
                "rendre compte de l'avancement aux signataires",
            ),
            (
                "D1.6",
                "skill",
                "Préparer, organiser et animer les instances de gouvernance "
                "(comité de pilotage, comité technique, groupes de travail, dialogue de gestion)",
            ),
            (
                "D1.7",
                "skill",
                "Assurer la veille sur les appels à projets et rechercher des "
                "financements pour le plan d'action",
            ),
            (
                "D1.8",
                "skill",
                "Organiser l'évaluation du CLS, guider l'analyse, restituer les "
                "résultats et en tirer de nouvelles priorités",
            ),
        ],
    },
    {
        "code": "D2",
        "title": "Animer les dynamiques locales de santé et communiquer",
        "description": (
            "Faire vivre le partenariat autour du CLS, l'articuler avec les autres démarches "
            "territoriales et diffuser une culture commune de promotion de la santé."
        ),
        "competencies": [
            ("D2.1", "skill", "Promouvoir la démarche CLS auprès des élus et des partenaires"),
            (
                "D2.2",
                "skill",
                "Soutenir et développer les partenariats locaux en veillant à l'intersectorialité",
            ),
            (
                "D2.3",
                "skill",
                "Fédérer les acteurs de santé, les décideurs, les habitants, les "
                "usagers et les élus du territoire",
            ),
            (
                "D2.4",
                "skill",
                "Articuler le CLS avec l'ASV, le CLSM, le PTSM, le RTPS, la CPTS, "
                "la CTG et le contrat de ville",
            ),
            ("D2.5", "skill", "Communiquer sur la démarche et les actions du CLS"),
            ("D2.6", "skill", "Susciter et appuyer la participation des habitants"),
            (
                "D2.7",
                "skill",
                "Sensibiliser les acteurs aux déterminants de la santé et diffuser "
                "une culture de promotion de la santé",
            ),
        ],
    },
    {
        "code": "D3",
        "title": "Accompagner les acteurs du territoire",
        "description": (
            "Aider élus, structures et porteurs de projets à faire émerger et à conduire leurs "
            "projets de santé, et à monter en compétences."
        ),
        "competencies": [
            (
                "D3.1",
                "skill",
                "Accompagner les structures du territoire dans l'émergence des "
                "problématiques de santé en s'appuyant sur les acteurs experts",
            ),
            (
                "D3.2",
                "skill",
                "Conseiller les élus et les porteurs de projets dans la "
                "structuration de leurs projets et la recherche de financements",
            ),
            ("D3.3", "skill", "Accompagner la montée en compétences des acteurs locaux"),
        ],
    },
    {
        "code": "D4",
        "title": "Savoirs du métier",
        "description": "Les connaissances sur lesquelles s'appuie la coordination d'un CLS.",
        "competencies": [
            ("D4.1", "knowledge", "Maîtriser et appliquer la méthodologie de projet"),
            (
                "D4.2",
                "knowledge",
                "Connaître les domaines d'action des CLS : politique de la "
                "ville, démarches sanitaires, politiques publiques ayant un impact sur la santé, "
                "organisation du système de santé",
            ),
            (
                "D4.3",
                "knowledge",
                "Connaître le fonctionnement et les compétences des collectivités territoriales",
            ),
            (
                "D4.4",
                "knowledge",
                "Connaître les stratégies et les outils de réduction des inégalités sociales de santé",
            ),
            ("D4.5", "knowledge", "Disposer de connaissances en géographie de la santé"),
            ("D4.6", "knowledge", "Maîtriser les outils bureautiques et de traitement de données"),
        ],
    },
    {
        "code": "D5",
        "title": "Savoir-faire relationnels et d'animation",
        "description": "Les manières de faire qui permettent de conduire un collectif d'acteurs.",
        "competencies": [
            (
                "D5.1",
                "skill",
                "Guider les acteurs en rappelant les règles de fonctionnement, le "
                "sens de la démarche et le rôle de chacun",
            ),
            ("D5.2", "skill", "Communiquer à l'écrit et à l'oral"),
            (
                "D5.3",
                "skill",
                "Négocier en favorisant l'expression de tous, faciliter la "
                "résolution des oppositions et engager des médiations",
            ),
            (
                "D5.4",
                "skill",
                "Assurer la cohérence d'ensemble : animer les réunions, piloter "
                "le travail et garantir la continuité des actions",
            ),
            (
                "D5.5",
                "skill",
                "Fédérer et dynamiser : expliquer, convaincre, co-construire et valoriser les actions",
            ),
            (
                "D5.6",
                "skill",
                "Identifier et mobiliser les ressources, puis les mettre à la disposition du collectif",
            ),
            (
                "D5.7",
                "skill",
                "Promouvoir les principes et les valeurs de la promotion de la "
                "santé (approche globale et positive, non-stigmatisation des publics)",
            ),
            (
                "D5.8",
                "skill",
                "Mettre son expertise des processus de coordination au service du collectif",
            ),
        ],
    },
    {
        "code": "D6",
        "title": "Savoir-être",
        "description": "Les qualités personnelles attendues dans la fonction.",
        "competencies": [
            ("D6.1", "attitude", "Sens du relationnel, adaptabilité et disponibilité"),
            ("D6.2", "attitude", "Leadership"),
            ("D6.3", "attitude", "Écoute, réactivité et pragmatisme"),
            ("D6.4", "attitude", "Autonomie"),
            ("D6.5", "attitude", "Sens de l'organisation"),
        ],
    },
]

# --- Glossary (the guide's glossary of acronyms, plus a few used by the course) ------------------
# (acronym, expansion, short definition or "")

GLOSSARY = [
    (
        "ARS",
        "Agence régionale de santé",
        "Établissement public qui pilote la politique de santé en région ; cosignataire de chaque "
        "CLS, qu'elle accompagne par ses directions ou délégations départementales.",
    ),
    (
        "ASV",
        "Atelier santé ville",
        "Démarche de promotion de la santé portée par une commune ou une intercommunalité au "
        "bénéfice des habitants des quartiers prioritaires de la politique de la ville.",
    ),
    ("CAF", "Caisse d'allocations familiales", ""),
    (
        "CCAS",
        "Centre communal d'action sociale",
        "Service social de la commune ; il peut gérer des établissements et services "
        "médico-sociaux et piloter des actions du CLS.",
    ),
    (
        "CDS",
        "Centre de santé",
        "Structure de soins de premier recours où exercent des professionnels salariés.",
    ),
    (
        "CLS",
        "Contrat local de santé",
        "Contrat conclu entre l'ARS et une collectivité territoriale, pour trois à cinq ans, afin "
        "de réduire les inégalités sociales et territoriales de santé par un plan d'action "
        "partagé.",
    ),
    (
        "CLSM",
        "Conseil local de santé mentale",
        "Espace de concertation entre élus, psychiatrie publique, usagers, aidants et "
        "professionnels pour une vision globale de la santé mentale et contre la stigmatisation.",
    ),
    ("CMT", "Conseiller méthodologique territorial", ""),
    (
        "COPIL",
        "Comité de pilotage",
        "Instance stratégique du CLS, présidée par l'élu référent : elle arbitre et valide ; "
        "elle se réunit au moins une fois par an.",
    ),
    (
        "COTECH",
        "Comité technique",
        "Instance technique du CLS animée par le coordonnateur : elle prépare les décisions du "
        "comité de pilotage et suit la mise en œuvre des actions.",
    ),
    ("CPAM", "Caisse primaire d'assurance maladie", ""),
    (
        "CPS",
        "Compétences psychosociales",
        "Compétences sociales, émotionnelles et cognitives qui permettent de faire face aux "
        "exigences de la vie quotidienne et de maintenir un bien-être mental.",
    ),
    (
        "CPTS",
        "Communauté professionnelle territoriale de santé",
        "Regroupement, à l'initiative de professionnels de santé, d'acteurs du premier et du "
        "second recours, médico-sociaux et sociaux, pour mieux coordonner les parcours.",
    ),
    (
        "CRSA",
        "Conférence régionale de la santé et de l'autonomie",
        "Instance régionale de démocratie en santé placée auprès de l'ARS.",
    ),
    ("CRTE", "Contrat de relance et de transition écologique", ""),
    ("CSSM", "Commission spécialisée en santé mentale", ""),
    (
        "CTG",
        "Convention territoriale globale",
        "Convention entre la CAF et une collectivité pour organiser les services aux familles "
        "sur un territoire.",
    ),
    (
        "CTS",
        "Conseil territorial de santé",
        "Instance de démocratie en santé à l'échelle d'un territoire de santé ; il contribue "
        "à la déclinaison territoriale du projet régional de santé.",
    ),
    (
        "CTSM",
        "Contrat territorial de santé mentale",
        "Contrat qui décline les actions du projet territorial de santé mentale entre les "
        "acteurs sanitaires, sociaux et médico-sociaux du territoire.",
    ),
    (
        "DAC",
        "Dispositif d'appui à la coordination",
        "Dispositif qui aide les professionnels à organiser les parcours de santé complexes.",
    ),
    (
        "DD",
        "Direction départementale (de l'ARS)",
        "Interlocutrice de proximité de la collectivité pour le CLS ; elle désigne un référent.",
    ),
    ("DDETS", "Direction départementale de l'emploi, du travail et des solidarités", ""),
    (
        "EHESP",
        "École des hautes études en santé publique",
        "Établissement qui délivre le diplôme d'établissement Coordinateur d'un CLS.",
    ),
    (
        "EIS",
        "Évaluation d'impact sur la santé",
        "Démarche qui estime, avant sa mise en œuvre, les effets d'un projet ou d'une politique "
        "sur la santé et leur répartition dans la population.",
    ),
    (
        "EPCI",
        "Établissement public de coopération intercommunale",
        "Communauté de communes, d'agglomération, urbaine ou métropole : l'échelle la plus "
        "courante d'un CLS.",
    ),
    (
        "ISS",
        "Inégalités sociales de santé",
        "Différences de santé systématiques, évitables et importantes entre groupes sociaux.",
    ),
    ("MSA", "Mutualité sociale agricole", ""),
    (
        "MSP",
        "Maison de santé pluriprofessionnelle",
        "Structure d'exercice coordonné réunissant des professionnels de santé libéraux autour "
        "d'un projet de santé commun.",
    ),
    ("MSS", "Maison sport santé", ""),
    (
        "ODD",
        "Objectifs de développement durable",
        "Les 17 objectifs de l'Agenda 2030 des Nations unies, utiles pour relier le CLS aux "
        "autres politiques du territoire.",
    ),
    ("OMS", "Organisation mondiale de la santé", ""),
    ("OR2S", "Observatoire régional de la santé et du social", ""),
    (
        "ORS-CREAI",
        "Observatoire régional de la santé – Centre régional d'études, d'actions et d'informations",
        "Organisme qui fournit données et études et peut appuyer la réalisation d'un diagnostic "
        "local de santé.",
    ),
    ("PETR", "Pôle d'équilibre territorial et rural", ""),
    ("PRAPS", "Programme régional d'accès à la prévention et aux soins (des plus démunis)", ""),
    ("PRE", "Programme de réussite éducative", ""),
    (
        "PRS",
        "Projet régional de santé",
        "Document qui fixe, pour plusieurs années, les priorités de santé de la région ; le CLS "
        "en est un levier de mise en œuvre locale.",
    ),
    ("PRSE", "Plan régional santé environnement", ""),
    (
        "PTSM",
        "Projet territorial de santé mentale",
        "Projet élaboré par les acteurs de la santé mentale d'un territoire ; le volet santé "
        "mentale du CLS doit en tenir compte.",
    ),
    ("QPV", "Quartier prioritaire de la politique de la ville", ""),
    ("RTPS", "Réseau territorial en promotion de la santé", ""),
]

# --- Modules and their lessons -------------------------------------------------------------------
# hours: presential, e-learning, organisation. Lesson durations add up to the e-learning hours.

MODULES = [
    {
        "number": 1,
        "slug": "cls-mode-d-emploi",
        "title": "CLS mode d'emploi",
        "kind": "core",
        "hours": ("12", "5", "7.5"),
        "summary": (
            "Ce qu'est un contrat local de santé, d'où il vient, qui le signe et ce qu'on attend "
            "de la personne qui le coordonne, de la mobilisation des élus jusqu'au suivi du plan "
            "d'action."
        ),
        "themes": [
            "La place des CLS dans les politiques publiques de santé",
            "Le partenariat autour d'un CLS, les instances du CLS, les financements",
            "La place et le périmètre d'actions du CLS, l'articulation avec les autres acteurs territoriaux",
            "Les missions d'un·e coordonnateur·rice de CLS",
            "Les 4 étapes du phasage d'un CLS : mobilisation, contractualisation, planification, suivi",
        ],
        "objectives": (
            "<ul><li>Situer le CLS parmi les politiques et dispositifs de santé du territoire.</li>"
            "<li>Définir le périmètre territorial, thématique et temporel d'un CLS et ses "
            "signataires.</li>"
            "<li>Décrire les missions de coordination, d'animation et d'accompagnement du "
            "coordonnateur.</li>"
            "<li>Repérer les étapes d'un CLS, de l'engagement des élus au suivi du plan "
            "d'action.</li></ul>"
        ),
        "competences": ["D1.2", "D2.1", "D2.4", "D4.2", "D4.3"],
        "lessons": [
            {
                "slug": "le-cls-dans-les-politiques-de-sante",
                "title": "Le CLS dans les politiques publiques de santé",
                "duration": "2.5",
                "introduction": (
                    "D'où vient le contrat local de santé, à quoi il sert et comment il "
                    "s'articule avec les nombreux dispositifs qui existent déjà sur un "
                    "territoire."
                ),
                "body": [
                    heading("Un contrat entre l'ARS et une collectivité"),
                    text(
                        "<p>Le contrat local de santé est un outil <b>porté à deux</b> : "
                        "l'agence régionale de santé d'un côté, une collectivité territoriale "
                        "(le plus souvent une intercommunalité) de l'autre. Son but est de "
                        "réduire les inégalités sociales, territoriales et environnementales de "
                        "santé en coordonnant, sur un même territoire, des initiatives qui "
                        "resteraient sinon dispersées.</p>"
                        "<p>Il fait le lien entre deux échelles : le <b>projet régional de "
                        "santé</b> (PRS), qui fixe les priorités de la région, et les démarches "
                        "locales déjà engagées par les communes, les associations ou les "
                        "professionnels. Le CLS n'ajoute pas une couche de plus : il donne un "
                        "cadre commun à ce qui existe et fait émerger ce qui manque.</p>"
                    ),
                    heading("Un cadre juridique léger mais conforté"),
                    text(
                        "<p>Le CLS est né d'un article très court de la loi « Hôpital, "
                        "patients, santé et territoires » (HPST) de 2009, repris dans le code "
                        "de la santé publique : l'ARS peut conclure des contrats locaux de "
                        "santé, notamment avec les collectivités et leurs groupements, sur la "
                        "promotion de la santé, la prévention, les soins et l'accompagnement "
                        "médico-social. L'outil est donc souple et peu contraignant, ce qui "
                        "explique son succès : 333 contrats en 2019, 366 en 2022 et 141 autres "
                        "en préparation.</p>"
                        "<p>Deux lois récentes l'ont renforcé. La loi « 3DS » du 21 février "
                        "2022 impose à chaque CLS un <b>volet consacré à la santé mentale</b> "
                        "qui tient compte du projet territorial de santé mentale. La loi du 27 "
                        "décembre 2023, dite « loi Valletoux », confirme la place des CLS dans "
                        "l'adaptation des politiques de santé aux besoins des territoires.</p>"
                    ),
                    heading("Cadrer un CLS : périmètre, signataires, durée"),
                    text(
                        "<ul><li><b>Territoire</b> : en général un EPCI, parfois une commune, "
                        "plusieurs EPCI réunis ou non en PETR. Le bon périmètre dépend de la "
                        "densité de population, de l'implantation des professionnels de santé "
                        "et du tissu associatif.</li>"
                        "<li><b>Thématiques</b> : choisies au vu du diagnostic local, parmi "
                        "les priorités du PRS : prévention et promotion de la santé, accès aux "
                        "soins, accompagnement social et médico-social, santé mentale, santé "
                        "environnementale, personnes en grande précarité.</li>"
                        "<li><b>Signataires</b> : au minimum l'ARS et la collectivité ; "
                        "l'État, la CPAM, la CAF, le conseil départemental ou d'autres "
                        "partenaires peuvent s'y joindre.</li>"
                        "<li><b>Durée</b> : trois à cinq ans ; un premier contrat de trois ans "
                        "permet d'évaluer plus vite avant un renouvellement.</li></ul>"
                    ),
                    callout(
                        "important",
                        "Quatre questions avant de se lancer",
                        "<ol><li>Quel territoire le CLS couvrira-t-il ?</li>"
                        "<li>Sur quelles thématiques portera son plan d'action ?</li>"
                        "<li>Quelles parties prenantes et quels signataires s'engageront ?</li>"
                        "<li>Pour combien de temps sera-t-il conclu ?</li></ol>",
                    ),
                    heading("S'articuler avec les autres dispositifs"),
                    text(
                        "<p>Le CLS arrive rarement sur un terrain vierge. Le coordonnateur doit "
                        "connaître les démarches voisines pour éviter de multiplier les "
                        "réunions et d'épuiser les partenaires :</p>"
                        "<ul><li>le <b>conseil local de santé mentale</b> (CLSM), espace de "
                        "concertation sur la santé mentale ;</li>"
                        "<li>l'<b>atelier santé ville</b> (ASV) et le volet santé du contrat "
                        "de ville, pour les quartiers prioritaires ;</li>"
                        "<li>la <b>communauté professionnelle territoriale de santé</b> (CPTS), "
                        "qui organise les professionnels de santé autour des parcours ;</li>"
                        "<li>le <b>dispositif d'appui à la coordination</b> (DAC), pour les "
                        "parcours complexes ;</li>"
                        "<li>les réseaux territoriaux de promotion de la santé et la "
                        "convention territoriale globale passée avec la CAF.</li></ul>"
                    ),
                    callout(
                        "example",
                        "Un territoire politique de la ville",
                        "<p>Lorsque la programmation de l'atelier santé ville est entièrement "
                        "intégrée à celle du CLS, les instances techniques et de pilotage des "
                        "deux démarches peuvent être mutualisées : un seul comité de pilotage, "
                        "un seul comité technique.</p>",
                    ),
                ],
            },
            {
                "slug": "missions-et-phasage",
                "title": "Les missions du coordonnateur et le phasage d'un CLS",
                "duration": "2.5",
                "introduction": (
                    "Ce que recouvre la fonction de coordination et les grandes étapes qui "
                    "mènent de la première rencontre avec les élus au suivi du plan d'action."
                ),
                "body": [
                    heading("Le pivot entre la collectivité, l'ARS et les acteurs"),
                    text(
                        "<p>Le coordonnateur ou la coordonnatrice est placé·e sous l'autorité "
                        "hiérarchique de la collectivité, mais entretient un <b>lien "
                        "fonctionnel</b> avec la direction départementale de l'ARS. Il ou elle "
                        "élabore, met en œuvre et suit le plan d'action validé par les "
                        "instances, et rend compte de son avancement. La fonction relève d'un "
                        "niveau de catégorie A : elle demande de savoir conduire un projet, "
                        "animer un réseau, dialoguer avec des élus et connaître l'organisation "
                        "d'une collectivité.</p>"
                    ),
                    heading("Trois familles de missions", "h3"),
                    text(
                        "<ul><li><b>Coordonner</b> : piloter le diagnostic, dégager les "
                        "priorités, construire et suivre le plan d'action, préparer les "
                        "instances, chercher des financements, organiser l'évaluation.</li>"
                        "<li><b>Animer</b> : promouvoir la démarche auprès des élus, faire "
                        "vivre les partenariats, associer habitants et usagers, communiquer, "
                        "veiller à l'articulation avec les autres dispositifs.</li>"
                        "<li><b>Accompagner</b> : aider les acteurs à faire émerger leurs "
                        "projets, conseiller les élus et porteurs, soutenir la montée en "
                        "compétences locale.</li></ul>"
                    ),
                    callout(
                        "info",
                        "Le coordonnateur n'est pas le pilote de toutes les actions",
                        "<p>Chaque fiche action a son propre pilote, de préférence un acteur "
                        "expert du sujet. Le coordonnateur peut en être co-pilote au titre de "
                        "son rôle d'appui ; il ne pilote une action que si sa fiche de poste "
                        "le prévoit explicitement.</p>",
                    ),
                    heading("Les étapes d'un CLS"),
                    text(
                        "<p>Le parcours de formation retient quatre temps : <b>mobilisation</b>, "
                        "<b>contractualisation</b>, <b>planification</b> et <b>suivi</b>. Le "
                        "guide régional de l'ARS Normandie les regroupe en trois phases.</p>"
                        "<ol><li><b>Phase préalable</b> (six mois à un an avant la signature) : "
                        "élus et ARS partagent une culture commune, font le point sur les "
                        "dispositifs existants et les problématiques connues. Elle se conclut "
                        "par une lettre d'intention des élus.</li>"
                        "<li><b>Diagnostic et élaboration du plan d'action</b> : préparation "
                        "puis réalisation d'un diagnostic local partagé, installation de la "
                        "gouvernance, rédaction des fiches actions en groupes de travail, "
                        "validation puis signature.</li>"
                        "<li><b>Mise en œuvre et évaluation</b> (trois à cinq ans) : suivi des "
                        "fiches actions, bilan annuel, évaluation finale qui prépare le "
                        "renouvellement.</li></ol>"
                        "<p>Ces étapes se chevauchent souvent ; leur rythme se discute entre la "
                        "collectivité et la direction départementale de l'ARS.</p>"
                    ),
                    heading("Financer la coordination", "h3"),
                    text(
                        "<p>Les modalités varient selon les régions. En Normandie, par exemple, "
                        "l'ARS peut financer la coordination jusqu'à 25 000 € par an, soit la "
                        "moitié d'un poste à temps plein estimé à 50 000 €, à condition que la "
                        "collectivité cofinance à parts égales. Un dialogue de gestion annuel "
                        "réunit alors la collectivité et la direction départementale.</p>"
                    ),
                    callout(
                        "example",
                        "Un CLS est un contrat vivant",
                        "<p>Son contenu peut évoluer en cours de route : de nouvelles actions "
                        "s'ajoutent par avenant, signé par l'ensemble des signataires. Une "
                        "montée en charge progressive du plan d'action est donc possible.</p>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "Qui signe au minimum un contrat local de santé ?",
                        [
                            ("L'ARS et une collectivité territoriale", True),
                            ("La CPAM et le conseil départemental", False),
                            ("Le ministère de la santé et la préfecture", False),
                        ],
                        "Relisez la leçon « Le CLS dans les politiques publiques de santé », "
                        "partie sur les signataires.",
                    ),
                    question(
                        "Pour quelle durée un CLS est-il généralement conclu ?",
                        [
                            ("Un an, renouvelable chaque année", False),
                            ("Trois à cinq ans", True),
                            ("Dix ans", False),
                        ],
                        "Revoyez l'encadré « Quatre questions avant de se lancer » et la "
                        "partie sur la durée.",
                    ),
                    question(
                        "Quelles familles de missions relèvent du coordonnateur de CLS ?",
                        [
                            ("La coordination", True),
                            ("L'animation", True),
                            ("L'accompagnement", True),
                            (
                                "La délivrance des autorisations d'exercice des professionnels de santé",
                                False,
                            ),
                        ],
                        "Relisez la partie « Trois familles de missions ».",
                    ),
                    question(
                        "Par quoi se conclut la phase préalable d'un CLS ?",
                        [
                            ("Par la signature du contrat", False),
                            ("Par une lettre d'intention des élus adressée à l'ARS", True),
                            ("Par l'évaluation finale", False),
                        ],
                        "Revoyez la partie « Les étapes d'un CLS ».",
                    ),
                ],
            },
        ],
    },
    {
        "number": 2,
        "slug": "animation-et-gouvernance",
        "title": "Animation et gouvernance d'un CLS",
        "kind": "core",
        "hours": ("12", "5", "7.5"),
        "summary": (
            "Installer et faire vivre les instances du CLS, connaître les compétences des "
            "collectivités et des autres acteurs, et se doter d'outils pour animer un réseau "
            "d'acteurs et porter un plaidoyer."
        ),
        "themes": [
            "La dynamique d'un CLS et les freins et leviers dans les étapes de phasage",
            "Les compétences des collectivités territoriales",
            "Les rôles et périmètres d'intervention différenciés : CLS, CLSM, ASV et autres "
            "acteurs territoriaux de santé",
            "Les outils disponibles pour la coordination d'un CLS : priorisation d'actions, "
            "formulation d'objectifs, élaboration d'une feuille de route",
            "Les outils de pilotage du CLS : gestion administrative, juridique et financière",
            "Les outils pour l'animation d'un CLS : organiser et animer des réunions de "
            "coopération territoriale et créer les supports dédiés",
            "Cartographie de son réseau d'acteurs clés, leur niveau d'influence, définir les "
            "objectifs d'une stratégie de plaidoyer",
            "Guide d'auto-évaluation et liste des ressources disponibles",
            "L'enjeu du diagnostic local de santé",
        ],
        "objectives": (
            "<ul><li>Installer une gouvernance adaptée : comité de pilotage, comité technique, "
            "groupes de travail.</li>"
            "<li>Distinguer les rôles du CLS, du CLSM, de l'ASV et des autres acteurs "
            "territoriaux de santé.</li>"
            "<li>Cartographier son réseau d'acteurs et définir une stratégie de "
            "plaidoyer.</li>"
            "<li>Préparer et animer des réunions de coopération territoriale.</li></ul>"
        ),
        "competences": [
            "D1.1",
            "D1.4",
            "D1.6",
            "D1.7",
            "D2.2",
            "D2.3",
            "D5.1",
            "D5.3",
            "D5.4",
            "D6.2",
        ],
        "lessons": [
            {
                "slug": "gouvernance-et-pilotage",
                "title": "Gouvernance et outils de pilotage",
                "duration": "2.5",
                "introduction": (
                    "Les instances qui font vivre un CLS, qui y siège, ce qu'elles décident et "
                    "les outils qui permettent au coordonnateur d'en rendre compte."
                ),
                "body": [
                    heading("Pourquoi une gouvernance ?"),
                    text(
                        "<p>Un CLS réunit des partenaires nombreux qui n'ont ni les mêmes "
                        "priorités ni le même calendrier. Sans instances clairement "
                        "identifiées, les décisions se prennent au fil de l'eau et les "
                        "engagements s'étiolent. La gouvernance reflète le caractère "
                        "multipartenarial du contrat et donne au coordonnateur l'appui "
                        "politique et technique dont il a besoin, de la conception à "
                        "l'évaluation.</p>"
                    ),
                    heading("Les trois niveaux", "h3"),
                    text(
                        "<ul><li><b>Le comité de pilotage</b> (COPIL) est l'instance "
                        "stratégique. Présidé par l'élu référent du CLS, il réunit au moins les "
                        "signataires, souvent aussi la CPAM, la CAF ou le conseil "
                        "départemental. Il arbitre, valide, engage les moyens et lève les "
                        "blocages remontés par le comité technique. Il se réunit au moins une "
                        "fois par an.</li>"
                        "<li><b>Le comité technique</b> (COTECH) est animé par le "
                        "coordonnateur. Il rassemble des techniciens des institutions et des "
                        "services de la collectivité, des associations, des professionnels, "
                        "des représentants d'usagers et les pilotes d'actions. Il prépare les "
                        "décisions et suit la mise en œuvre, idéalement deux à trois fois par "
                        "an.</li>"
                        "<li><b>Les groupes de travail</b> construisent les fiches actions "
                        "puis en suivent la réalisation ; ils sont animés par le "
                        "coordonnateur ou par le pilote de l'action.</li></ul>"
                    ),
                    callout(
                        "important",
                        "À retenir",
                        "<p>Le coordonnateur organise les instances et rédige leurs comptes "
                        "rendus, en lien avec le référent de la direction départementale de "
                        "l'ARS. La composition des instances n'est pas figée : elle évolue "
                        "avec le contrat.</p>",
                    ),
                    heading("Les compétences des collectivités"),
                    text(
                        "<p>Logement, urbanisme, mobilité, restauration scolaire, action "
                        "sociale, sport, petite enfance : les compétences des communes et des "
                        "intercommunalités agissent chaque jour sur les déterminants de la "
                        "santé. Certaines collectivités gèrent aussi des établissements "
                        "médico-sociaux par leur CCAS, des centres de santé, ou siègent au "
                        "conseil de surveillance de l'hôpital. Connaître ces compétences "
                        "permet au coordonnateur d'impliquer les bons services et les bons "
                        "élus (solidarités, handicap, jeunesse, logement…).</p>"
                    ),
                    heading("Piloter : l'administratif, le juridique, le financier"),
                    text(
                        "<p>Le pilotage quotidien repose sur quelques outils simples : un "
                        "tableau de suivi des actions, un support de suivi par action (dates, "
                        "participants, décisions, suites à donner), un rapport d'activité "
                        "annuel et, lorsque le poste est cofinancé, un bilan financier "
                        "présenté lors du dialogue de gestion. Les avenants au contrat, la "
                        "veille sur les appels à projets et la recherche de cofinancements "
                        "complètent la boîte à outils.</p>"
                    ),
                    callout(
                        "example",
                        "Un ordre du jour de comité technique",
                        "<ol><li>Rappel des décisions du dernier comité de pilotage.</li>"
                        "<li>Point d'avancement fiche par fiche, présenté par les pilotes.</li>"
                        "<li>Difficultés rencontrées et leviers à proposer au COPIL.</li>"
                        "<li>Calendrier des prochaines étapes.</li></ol>",
                    ),
                ],
            },
            {
                "slug": "animer-le-reseau-d-acteurs",
                "title": "Animer le réseau d'acteurs et porter un plaidoyer",
                "duration": "2.5",
                "introduction": (
                    "Cartographier les acteurs, comprendre leurs intérêts, animer des réunions "
                    "de coopération et défendre la santé dans les décisions locales."
                ),
                "body": [
                    heading("Animer est un métier"),
                    text(
                        "<p>L'animation crée de la confiance entre des acteurs qui ne se "
                        "connaissent pas toujours : soignants et acteurs de prévention, "
                        "services de l'ARS et de la collectivité, experts, élus et habitants. "
                        "Le coordonnateur y joue un rôle de <b>traducteur</b> : il construit "
                        "un langage commun, fait se rencontrer des cultures professionnelles "
                        "différentes et favorise la co-construction. Cette animation commence "
                        "dès le diagnostic, pour qu'il soit réellement partagé.</p>"
                    ),
                    heading("Cartographier ses acteurs", "h3"),
                    text(
                        "<p>Pour chaque acteur ou partenaire, il est utile de se poser cinq "
                        "questions :</p>"
                        "<ul><li>quel rôle peut-il jouer dans le projet ?</li>"
                        "<li>quels sont ses points forts et ses capacités d'intervention ?</li>"
                        "<li>qu'a-t-il à gagner au projet ?</li>"
                        "<li>en quoi pourrait-il freiner l'avancée du projet ?</li>"
                        "<li>quel est son niveau d'influence sur les décisions ?</li></ul>"
                        "<p>Cette carte fait apparaître les alliés à mobiliser d'abord, les "
                        "acteurs à convaincre et les relais d'influence auprès des "
                        "décideurs.</p>"
                    ),
                    heading("Construire un plaidoyer", "h3"),
                    text(
                        "<p>Plaider, c'est chercher à faire prendre en compte la santé dans une "
                        "décision qui ne relève pas d'abord de la santé : un projet "
                        "d'urbanisme, un plan de mobilité, la restauration scolaire. Une "
                        "stratégie de plaidoyer précise un objectif (quelle décision, d'ici "
                        "quand), les décideurs visés, les arguments fondés sur le diagnostic, "
                        "les alliés et le moment opportun.</p>"
                    ),
                    callout(
                        "info",
                        "Freins et leviers fréquents",
                        "<ul><li><b>Freins</b> : multiplication des instances, turn-over des "
                        "interlocuteurs, cultures professionnelles cloisonnées, faible "
                        "portage politique.</li>"
                        "<li><b>Leviers</b> : implication des élus dès la phase préalable, "
                        "diagnostic partagé, fiches actions réalistes et évaluables, "
                        "valorisation régulière des réussites.</li></ul>",
                    ),
                    heading("Organiser une réunion de coopération territoriale"),
                    text(
                        "<ol><li><b>Avant</b> : fixer l'objectif de la réunion, inviter les "
                        "bonnes personnes, envoyer un ordre du jour et les documents utiles.</li>"
                        "<li><b>Pendant</b> : rappeler le cadre, le sens et le rôle de chacun, "
                        "donner la parole à tous, rendre visibles les accords et les "
                        "désaccords.</li>"
                        "<li><b>Après</b> : diffuser rapidement un compte rendu avec les "
                        "décisions, les responsables et les échéances.</li></ol>"
                    ),
                    callout(
                        "example",
                        "Le diagnostic, premier outil d'animation",
                        "<p>Associer dès le diagnostic les services de la collectivité, les "
                        "professionnels et les habitants permet que chacun se reconnaisse "
                        "dans les priorités retenues, et s'engage ensuite dans les groupes de "
                        "travail.</p>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "Quelle instance arbitre et valide politiquement les propositions du CLS ?",
                        [
                            ("Le comité technique", False),
                            ("Le comité de pilotage", True),
                            ("Le groupe de travail", False),
                        ],
                        "Relisez la partie « Les trois niveaux » de la leçon sur la gouvernance.",
                    ),
                    question(
                        "À quelle fréquence minimale le comité de pilotage se réunit-il ?",
                        [
                            ("Une fois par an", True),
                            ("Une fois par mois", False),
                            ("Une seule fois, à la signature", False),
                        ],
                        "Revoyez la description du comité de pilotage.",
                    ),
                    question(
                        "Quelles questions aident à cartographier un acteur du territoire ?",
                        [
                            ("Ce qu'il peut apporter au projet", True),
                            ("Ce que le projet lui apporte", True),
                            ("En quoi il pourrait freiner le projet", True),
                            ("Son âge et son ancienneté dans le poste", False),
                        ],
                        "Relisez la partie « Cartographier ses acteurs ».",
                    ),
                    question(
                        "Qui anime le comité technique ?",
                        [
                            ("L'élu référent", False),
                            ("Le coordonnateur du CLS", True),
                            ("Le directeur général de l'ARS", False),
                        ],
                        "Revoyez la description du comité technique.",
                    ),
                ],
            },
        ],
    },
    {
        "number": 3,
        "slug": "concepts-cadres",
        "title": "Les concepts cadres du CLS",
        "kind": "core",
        "hours": ("12", "5", "7.5"),
        "summary": (
            "Les notions de promotion de la santé qui fondent l'action d'un CLS : Charte "
            "d'Ottawa, déterminants et inégalités sociales de santé, participation, santé dans "
            "toutes les politiques, accès aux droits."
        ),
        "themes": [
            "Définition de la promotion de la santé et des 5 axes de la Charte d'Ottawa",
            "Les concepts-clefs de la promotion de la santé appliqués à la coordination d'un "
            "CLS : déterminants de santé, empowerment, participation des populations, "
            "plaidoyer, inégalités sociales de santé, gradient social de santé, équité en "
            "santé, compétences psycho-sociales (CPS)",
            "La notion de santé dans toutes les politiques",
            "L'utilité du concept des ODD (objectifs de développement durable) appliqué à un CLS",
            "La notion de responsabilité populationnelle partagée en santé publique",
            "Les notions d'accès à la santé, d'accès aux droits",
        ],
        "objectives": (
            "<ul><li>Définir la santé et la promotion de la santé et citer les cinq axes de la "
            "Charte d'Ottawa.</li>"
            "<li>Expliquer les déterminants de santé, le gradient social et les inégalités "
            "sociales de santé.</li>"
            "<li>Mobiliser ces concepts pour argumenter auprès des élus et des "
            "partenaires.</li></ul>"
        ),
        "competences": ["D1.1", "D2.6", "D2.7", "D4.4", "D4.5", "D5.7"],
        "lessons": [
            {
                "slug": "promotion-de-la-sante",
                "title": "La promotion de la santé et la Charte d'Ottawa",
                "duration": "2.5",
                "introduction": (
                    "De la définition de la santé par l'OMS aux cinq axes de la Charte "
                    "d'Ottawa : le socle commun de tout CLS."
                ),
                "body": [
                    heading("La santé, bien plus que l'absence de maladie"),
                    text(
                        "<p>Dès 1946, la Constitution de l'Organisation mondiale de la santé "
                        "décrit la santé comme un état complet de bien-être physique, mental "
                        "et social. Elle affirme aussi que jouir du meilleur état de santé "
                        "possible est un droit fondamental de chaque être humain, quelle que "
                        "soit sa condition économique ou sociale. Cette vision positive et "
                        "globale explique pourquoi un CLS ne parle pas seulement de soins.</p>"
                    ),
                    heading("La Charte d'Ottawa (1986)"),
                    text(
                        "<p>Quarante ans plus tard, la première conférence internationale sur "
                        "la promotion de la santé en donne une définition devenue classique : "
                        "un processus qui donne aux populations <b>davantage de maîtrise sur "
                        "leur propre santé</b> et les moyens de l'améliorer. La promotion de "
                        "la santé ne relève donc pas du seul secteur sanitaire ; elle vise le "
                        "bien-être au-delà des modes de vie sains.</p>"
                        "<p>La Charte propose cinq axes d'action :</p>"
                        "<ol><li>élaborer une politique publique saine ;</li>"
                        "<li>créer des milieux favorables ;</li>"
                        "<li>renforcer l'action communautaire ;</li>"
                        "<li>acquérir des aptitudes individuelles ;</li>"
                        "<li>réorienter les services de santé.</li></ol>"
                    ),
                    callout(
                        "important",
                        "La santé dans toutes les politiques",
                        "<p>Puisque la santé dépend du logement, du transport, de l'école ou "
                        "de l'urbanisme, chaque politique locale peut lui être favorable ou "
                        "défavorable. Le CLS est l'outil qui permet de poser cette question "
                        "dans toutes les décisions de la collectivité.</p>",
                    ),
                    heading("Des concepts pour agir"),
                    text(
                        "<ul><li><b>Empowerment</b> (pouvoir d'agir) : renforcer la capacité "
                        "des personnes et des groupes à peser sur ce qui détermine leur "
                        "santé.</li>"
                        "<li><b>Participation des populations</b> : associer habitants et "
                        "usagers au diagnostic, aux choix et à l'évaluation, pas seulement les "
                        "informer.</li>"
                        "<li><b>Plaidoyer</b> : défendre la prise en compte de la santé "
                        "auprès des décideurs.</li>"
                        "<li><b>Compétences psychosociales</b> : selon l'OMS (1993), la "
                        "capacité à répondre efficacement aux exigences de la vie quotidienne "
                        "et à maintenir un bien-être mental ; elles se renforcent dès "
                        "l'enfance.</li>"
                        "<li><b>Littératie en santé</b> : la capacité à trouver, comprendre et "
                        "utiliser l'information en santé.</li></ul>"
                    ),
                    heading("Les objectifs de développement durable", "h3"),
                    text(
                        "<p>Les 17 objectifs de développement durable de l'Agenda 2030 des "
                        "Nations unies offrent une grille de lecture partagée avec d'autres "
                        "politiques (transition écologique, éducation, égalité). Relier les "
                        "actions du CLS aux ODD aide à montrer leur contribution au-delà de la "
                        "santé et à trouver des alliés dans les services de la "
                        "collectivité.</p>"
                    ),
                ],
            },
            {
                "slug": "determinants-et-inegalites",
                "title": "Déterminants et inégalités sociales de santé",
                "duration": "2.5",
                "introduction": (
                    "Pourquoi l'état de santé varie selon la position sociale et le lieu de "
                    "vie, et ce qu'un CLS peut faire pour réduire ces écarts."
                ),
                "body": [
                    heading("Les déterminants de la santé"),
                    text(
                        "<p>L'état de santé d'une population dépend d'un ensemble de facteurs "
                        "individuels, collectifs, socio-économiques et environnementaux. Le "
                        "modèle de Dahlgren et Whitehead (1991) les représente en couches : "
                        "âge, sexe et hérédité au centre ; puis les modes de vie ; les réseaux "
                        "sociaux et communautaires ; les conditions de vie et de travail "
                        "(logement, emploi, éducation, services de santé) ; enfin le contexte "
                        "socio-économique, culturel et environnemental.</p>"
                        "<p>Les habitudes de vie ne sont pas seulement choisies : elles sont "
                        "aussi subies, selon les ressources et l'environnement de chacun. Le "
                        "système de soins, à lui seul, ne peut donc pas réduire les écarts de "
                        "santé.</p>"
                    ),
                    heading("Inégalités sociales et gradient social", "h3"),
                    text(
                        "<p>Les inégalités sociales de santé sont des différences de santé "
                        "<b>systématiques, évitables et importantes</b> entre groupes sociaux. "
                        "Elles suivent un <b>gradient</b> : chaque catégorie sociale a une "
                        "espérance de vie, et une espérance de vie en bonne santé, moins "
                        "bonnes que celle qui lui est immédiatement supérieure. Elles ne "
                        "concernent donc pas seulement les plus pauvres : elles traversent "
                        "toute la société.</p>"
                        "<p>Elles se construisent tout au long de la vie : pauvreté dans "
                        "l'enfance, déficit d'éducation, emplois précaires, exposition à un "
                        "environnement défavorable. Elles se doublent d'inégalités "
                        "territoriales d'accès aux services et aux soins.</p>"
                    ),
                    callout(
                        "important",
                        "L'universalisme proportionné",
                        "<p>Agir pour toute la population, mais avec une intensité adaptée aux "
                        "besoins : c'est la stratégie recommandée pour réduire le gradient "
                        "sans stigmatiser les publics les plus vulnérables.</p>",
                    ),
                    heading("Accès à la santé, accès aux droits"),
                    text(
                        "<p>Avoir des droits ne suffit pas à en bénéficier : complexité des "
                        "démarches, démarches en ligne, distance, langue, méconnaissance. Le "
                        "non-recours aux droits et aux soins est un puissant facteur "
                        "d'inégalité. Un CLS peut agir en facilitant l'accès à l'information, "
                        "l'accompagnement administratif ou l'« aller vers ».</p>"
                    ),
                    heading("Une responsabilité partagée", "h3"),
                    text(
                        "<p>La <b>responsabilité populationnelle</b> invite les acteurs d'un "
                        "territoire à se sentir ensemble responsables de la santé de toute sa "
                        "population, y compris des personnes qui ne consultent pas. L'approche "
                        "« <b>Une seule santé</b> » (One Health) élargit encore la "
                        "perspective : santé humaine, animale, végétale et santé des "
                        "écosystèmes dépendent les unes des autres.</p>"
                    ),
                    callout(
                        "example",
                        "Du constat à la priorité",
                        "<p>Un diagnostic montre un indice de vieillissement supérieur à la "
                        "moyenne, beaucoup de personnes vivant seules et des habitants qui "
                        "disent renoncer à se déplacer. Le CLS peut en faire une priorité "
                        "populationnelle (les plus de 60 ans) ou thématique (mobilité, "
                        "isolement).</p>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "Combien d'axes d'action la Charte d'Ottawa propose-t-elle ?",
                        [("Trois", False), ("Cinq", True), ("Sept", False)],
                        "Relisez la partie « La Charte d'Ottawa (1986) ».",
                    ),
                    question(
                        "Que désigne le gradient social de santé ?",
                        [
                            (
                                "Un écart de santé qui concerne seulement les personnes pauvres",
                                False,
                            ),
                            (
                                "Une dégradation de la santé à chaque échelon de la hiérarchie "
                                "sociale vers le bas",
                                True,
                            ),
                            ("La différence de santé entre hommes et femmes", False),
                        ],
                        "Revoyez la partie « Inégalités sociales et gradient social ».",
                    ),
                    question(
                        "Quels éléments sont des déterminants de la santé ?",
                        [
                            ("Les conditions de logement", True),
                            ("L'environnement physique", True),
                            ("L'isolement social", True),
                            ("Aucun, la santé dépend uniquement de l'offre de soins", False),
                        ],
                        "Relisez la partie « Les déterminants de la santé ».",
                    ),
                    question(
                        "Que recommande l'universalisme proportionné ?",
                        [
                            ("Agir uniquement auprès des publics les plus précaires", False),
                            ("Agir pour tous avec une intensité adaptée aux besoins", True),
                            ("Offrir exactement la même action à chacun", False),
                        ],
                        "Revoyez l'encadré « L'universalisme proportionné ».",
                    ),
                ],
            },
        ],
    },
    {
        "number": 4,
        "slug": "evaluation",
        "title": "Évaluation d'un CLS",
        "kind": "core",
        "hours": ("12", "5", "7.5"),
        "summary": (
            "Concevoir et conduire une démarche collective d'évaluation d'un CLS : ce que l'on "
            "évalue, avec qui, avec quels objectifs, indicateurs et outils de recueil, et "
            "comment en communiquer les résultats."
        ),
        "themes": [
            "Les principes d'une évaluation de CLS et d'une évaluation d'impact sur la santé (EIS)",
            "Conception et planification d'une démarche collective d'évaluation de CLS",
            "Liste des outils disponibles pour la mise en œuvre d'une démarche d'évaluation",
            "Caractéristiques d'une évaluation du programme d'actions et d'une évaluation de la "
            "dynamique partenariale",
            "Définition et formulation des objectifs et des indicateurs",
            "Construction des outils de recueil",
            "Communication sur l'évaluation",
        ],
        "objectives": (
            "<ul><li>Distinguer évaluation continue et évaluation finale, programme d'actions et "
            "dynamique partenariale.</li>"
            "<li>Formuler des objectifs évaluables et choisir des indicateurs de processus et "
            "de résultats.</li>"
            "<li>Construire un protocole et des outils de recueil, puis communiquer sur les "
            "résultats.</li></ul>"
        ),
        "competences": ["D1.5", "D1.8", "D2.5", "D4.6"],
        "lessons": [
            {
                "slug": "principes-de-l-evaluation",
                "title": "Principes et démarche d'évaluation d'un CLS",
                "duration": "2.5",
                "introduction": (
                    "Pourquoi évaluer, quand, quoi et avec qui : les repères pour organiser "
                    "une démarche d'évaluation collective."
                ),
                "body": [
                    heading("Évaluer pour apprendre et décider"),
                    text(
                        "<p>L'évaluation d'un CLS cherche à savoir dans quelle mesure sa "
                        "stratégie et sa dynamique ont permis de mieux prendre en compte les "
                        "inégalités sociales et territoriales de santé, et de les réduire. "
                        "Elle rend compte de la mobilisation des acteurs, mesure la pertinence "
                        "et l'efficacité du contrat et prépare son renouvellement.</p>"
                    ),
                    heading("Deux temps complémentaires", "h3"),
                    text(
                        "<ul><li><b>L'évaluation continue</b>, au moins annuelle, suit la mise "
                        "en œuvre de chaque fiche action à partir de ses indicateurs. Elle "
                        "nourrit le rapport d'activité annuel et, si le poste est cofinancé, "
                        "le bilan financier.</li>"
                        "<li><b>L'évaluation finale</b>, conduite la dernière année sous "
                        "l'égide du comité de pilotage, mesure l'effet de la stratégie sur la "
                        "politique de santé du territoire et sert de base au contrat "
                        "suivant.</li></ul>"
                    ),
                    heading("Ce que l'on évalue"),
                    text(
                        "<p>Une évaluation complète porte à la fois sur le <b>programme "
                        "d'actions</b> et sur la <b>dynamique partenariale</b>. Elle balaie "
                        "plusieurs champs :</p>"
                        "<ul><li>le périmètre : thématiques couvertes, échelle, signataires, "
                        "durée ;</li>"
                        "<li>l'animation et le suivi : coordination, rôle de la collectivité, "
                        "fonctionnement de la gouvernance ;</li>"
                        "<li>la mise en œuvre et les effets : pertinence et efficacité du "
                        "programme, efficience de ses modalités ;</li>"
                        "<li>la dynamique partenariale : articulation avec l'ASV, le CLSM, le "
                        "CRTE, le contrat de ville, la CPTS, le PTSM ; participation des "
                        "habitants, notamment des personnes en situation de précarité ou de "
                        "handicap ;</li>"
                        "<li>le portage politique et les financements mobilisés.</li></ul>"
                    ),
                    callout(
                        "important",
                        "Une démarche collective",
                        "<p>Le coordonnateur pilote l'évaluation mais ne la fait pas seul : il "
                        "s'appuie sur le comité de pilotage pour l'engager, mobilise les "
                        "pilotes des fiches actions, fixe avec eux le cadre (« que "
                        "voulons-nous évaluer ? ») puis recueille et analyse les données.</p>",
                    ),
                    heading("L'évaluation d'impact sur la santé", "h3"),
                    text(
                        "<p>L'EIS est une démarche prospective : elle examine un projet ou une "
                        "politique <b>avant</b> sa réalisation (un aménagement urbain, un plan "
                        "de mobilité) pour en estimer les effets sur la santé et sur leur "
                        "répartition dans la population, puis formuler des recommandations aux "
                        "décideurs. Ses résultats peuvent aussi nourrir le diagnostic local.</p>"
                    ),
                    callout(
                        "example",
                        "Des questions évaluatives",
                        "<ul><li>Les actions prévues ont-elles été réalisées ?</li>"
                        "<li>Les habitants des quartiers prioritaires en ont-ils bénéficié ?</li>"
                        "<li>Les partenaires se sentent-ils davantage associés qu'au début du "
                        "contrat ?</li></ul>",
                    ),
                ],
            },
            {
                "slug": "objectifs-indicateurs-outils",
                "title": "Objectifs, indicateurs et outils de recueil",
                "duration": "2.5",
                "introduction": (
                    "Écrire des objectifs évaluables, choisir des indicateurs utiles, bâtir un "
                    "protocole et des outils de recueil, puis communiquer sur les résultats."
                ),
                "body": [
                    heading("Un objectif évaluable en quatre éléments"),
                    text(
                        "<ol><li>Un <b>verbe</b> qui dit ce que l'on veut obtenir : renforcer, "
                        "diminuer, organiser, sensibiliser…</li>"
                        "<li>Le <b>facteur</b> sur lequel on agit : l'accès à un service, des "
                        "compétences, la coordination entre acteurs…</li>"
                        "<li>La <b>population</b> visée.</li>"
                        "<li>Une <b>échéance</b>.</li></ol>"
                        "<p>Un objectif qui contient plusieurs éléments distincts se découpe en "
                        "plusieurs objectifs : chacun sera plus facile à évaluer.</p>"
                    ),
                    callout(
                        "example",
                        "Exemple d'objectif",
                        "<p>« D'ici fin 2027, augmenter la participation des personnes de 60 "
                        "ans et plus vivant dans les communes rurales du territoire aux "
                        "activités de lien social. »</p>",
                    ),
                    heading("Choisir les indicateurs"),
                    text(
                        "<p>Un indicateur peut être <b>quantitatif</b> (un nombre, un taux) ou "
                        "<b>qualitatif</b> (une opinion, une perception, une étape franchie, "
                        "éventuellement traduite sur une échelle). Il mesure soit :</p>"
                        "<ul><li>le <b>processus</b> : ce qui a été mis en œuvre (nombre de "
                        "réunions ou de séances, participants, étapes réalisées) ;</li>"
                        "<li>le <b>résultat</b> : ce qui a changé (part de la population "
                        "touchée, délai d'accès à un service, satisfaction du public, "
                        "évolution des comportements ou des connaissances).</li></ul>"
                        "<p>Les indicateurs se choisissent dès l'écriture des fiches actions, "
                        "en vérifiant qu'ils sont atteignables et réalistes à recueillir.</p>"
                    ),
                    heading("Le protocole et les outils de recueil", "h3"),
                    text(
                        "<p>Pour chaque objectif opérationnel, une grille de protocole précise "
                        "les <b>résultats attendus</b>, les <b>indicateurs</b>, les <b>outils "
                        "d'évaluation</b>, <b>qui évalue</b> et <b>quand</b>. Les outils "
                        "sont variés : questionnaires, tableaux de bord, grilles d'observation, "
                        "comptes rendus, entretiens. Un tableau de suivi du programme et un "
                        "support de suivi par action permettent de tracer les échanges et de "
                        "garantir la continuité en cas d'absence.</p>"
                    ),
                    callout(
                        "important",
                        "Anticiper plutôt que reconstituer",
                        "<p>Plus les indicateurs et les outils de recueil sont pensés au "
                        "moment du plan d'action, plus l'évaluation sera simple : il est "
                        "difficile de reconstituer des données trois ans après.</p>",
                    ),
                    heading("Communiquer sur l'évaluation"),
                    text(
                        "<p>Les résultats sont d'abord présentés aux instances, puis partagés "
                        "avec les partenaires, les élus et les habitants sous une forme "
                        "accessible : synthèse courte, quelques chiffres clés, témoignages. "
                        "Restituer, c'est aussi remercier ceux qui ont contribué et préparer "
                        "les priorités du contrat suivant.</p>"
                    ),
                ],
                "knowledge_check": [
                    question(
                        "« Nombre de réunions du groupe de travail » est un indicateur de :",
                        [("Processus", True), ("Résultat", False), ("Impact", False)],
                        "Relisez la partie « Choisir les indicateurs ».",
                    ),
                    question(
                        "Quels éléments doit contenir un objectif évaluable ?",
                        [
                            ("Un verbe d'action", True),
                            ("La population visée", True),
                            ("Une échéance", True),
                            ("Le nom du financeur", False),
                        ],
                        "Revoyez la partie « Un objectif évaluable en quatre éléments ».",
                    ),
                    question(
                        "Quand l'évaluation finale d'un CLS a-t-elle lieu ?",
                        [
                            ("Avant la signature", False),
                            ("Au cours de la dernière année du contrat", True),
                            ("Chaque mois", False),
                        ],
                        "Relisez la leçon « Principes et démarche d'évaluation d'un CLS », "
                        "partie « Deux temps complémentaires ».",
                    ),
                    question(
                        "Qu'examine une évaluation d'impact sur la santé (EIS) ?",
                        [
                            ("Les effets d'un projet sur la santé avant sa réalisation", True),
                            ("La satisfaction des participants après une réunion", False),
                            ("Le budget annuel du poste de coordination", False),
                        ],
                        "Revoyez la partie « L'évaluation d'impact sur la santé ».",
                    ),
                ],
            },
        ],
    },
    {
        "number": 5,
        "slug": "methodologie-de-projet",
        "title": "Méthodologie de projet en santé publique",
        "kind": "optional",
        "hours": ("18", "6", "14"),
        "summary": (
            "Module transversal, commun aux coordinations de CLS, de CPTS, de MSP et de centres "
            "de santé : du diagnostic au plan d'action, stratégies éducatives, communication en "
            "santé et leadership."
        ),
        "themes": [
            "Les stratégies éducatives en santé : conditions et critères d'efficacité",
            "Communication en santé : définition, enjeux, élaboration d'une stratégie",
            "Leadership en santé : mobilisation partenariale, savoir plaidoyer, résoudre les difficultés",
        ],
        "objectives": (
            "<ul><li>Passer d'un diagnostic à un arbre d'objectifs et à des fiches actions.</li>"
            "<li>Choisir des stratégies éducatives dont l'efficacité est reconnue.</li>"
            "<li>Élaborer une stratégie de communication en santé.</li>"
            "<li>Exercer un leadership partagé pour mobiliser les partenaires et résoudre les "
            "difficultés.</li></ul>"
        ),
        "competences": ["D1.4", "D2.5", "D3.1", "D3.2", "D3.3", "D4.1", "D5.2", "D5.5", "D6.2"],
        "lessons": [
            {
                "slug": "du-diagnostic-au-plan-d-action",
                "title": "Du diagnostic au plan d'action",
                "duration": "2",
                "introduction": (
                    "Transformer les constats d'un diagnostic en priorités, en objectifs "
                    "hiérarchisés puis en fiches actions pilotées."
                ),
                "body": [
                    heading("Un diagnostic partagé"),
                    text(
                        "<p>Le diagnostic local croise des données <b>quantitatives</b> "
                        "(démographie, revenus, état de santé, offre de soins) et "
                        "<b>qualitatives</b> (avis des habitants, des professionnels, des "
                        "élus). Il ne se limite pas à l'état sanitaire ni au recensement de "
                        "l'offre : il décrit aussi le logement, la mobilité, l'environnement "
                        "et les ressources locales. L'observatoire régional de santé, "
                        "l'assurance maladie ou la MSA peuvent fournir des données.</p>"
                    ),
                    heading("L'arbre des objectifs"),
                    text(
                        "<ul><li><b>Axe</b> : une priorité retenue, thématique (« Environnement "
                        "et cadre de vie »), populationnelle (« Parcours des personnes âgées ») "
                        "ou les deux (« Santé mentale des jeunes »). Un axe transversal "
                        "« Faire vivre le CLS » est possible.</li>"
                        "<li><b>Objectif général</b> : ce que l'on cherche à atteindre sur "
                        "l'axe, avec une durée, un public ou un territoire.</li>"
                        "<li><b>Objectifs spécifiques</b> : les moyens d'y parvenir.</li>"
                        "<li><b>Objectifs opérationnels</b> : les actions concrètes, chacune "
                        "décrite dans une fiche action.</li></ul>"
                    ),
                    callout(
                        "important",
                        "Les rubriques incontournables d'une fiche action",
                        "<ul><li>l'axe et l'objectif auxquels elle se rattache ;</li>"
                        "<li>le contexte issu du diagnostic ;</li>"
                        "<li>l'objectif général et la description de l'action ;</li>"
                        "<li>le calendrier ;</li>"
                        "<li>le pilote, dont l'engagement est officialisé ;</li>"
                        "<li>les indicateurs de suivi et de résultats.</li></ul>"
                        "<p>Partenaires, territoire, public visé, articulation avec les autres "
                        "dispositifs et budget sont renseignés le cas échéant.</p>",
                    ),
                    heading("Sélectionner les actions", "h3"),
                    text(
                        "<p>Il n'y a ni minimum ni maximum de fiches actions. Mieux vaut "
                        "retenir des actions <b>réalisables et évaluables</b>, quitte à en "
                        "ajouter ensuite par avenant. Certaines actions préexistantes peuvent "
                        "intégrer le plan ; d'autres naissent des groupes de travail, à qui "
                        "l'on présente les constats du diagnostic et une liste d'actions "
                        "possibles à prioriser.</p>"
                    ),
                    callout(
                        "example",
                        "Une action pas à pas",
                        "<p>Objectif : favoriser l'inclusion des personnes de 60 ans et plus "
                        "isolées. Action : accompagner les clubs d'aînés dans leurs demandes "
                        "de subvention en ligne auprès du département. Pilote : le service "
                        "d'aide aux personnes âgées du CCAS. Indicateurs : nombre de clubs "
                        "recensés, accompagnés, de dossiers déposés et d'aides obtenues.</p>",
                    ),
                ],
            },
            {
                "slug": "strategies-educatives-et-communication",
                "title": "Stratégies éducatives et communication en santé",
                "duration": "2",
                "introduction": (
                    "Ce qui rend une action éducative efficace, et comment bâtir une stratégie "
                    "de communication en santé qui touche réellement ses publics."
                ),
                "body": [
                    heading("Éduquer pour la santé, à quelles conditions ?"),
                    text(
                        "<p>Informer ne suffit pas à changer des comportements, surtout quand "
                        "ceux-ci dépendent des conditions de vie. Les interventions éducatives "
                        "les plus efficaces partagent quelques caractéristiques :</p>"
                        "<ul><li>elles partent des besoins et des représentations du public, "
                        "identifiés avec lui ;</li>"
                        "<li>elles durent dans le temps plutôt que de se limiter à une "
                        "séance ;</li>"
                        "<li>elles renforcent les compétences psychosociales et le pouvoir "
                        "d'agir, plutôt que de culpabiliser ;</li>"
                        "<li>elles agissent en même temps sur l'environnement (offre "
                        "alimentaire, aménagements, accès aux services) ;</li>"
                        "<li>elles s'appuient sur des programmes dont l'efficacité a été "
                        "démontrée, adaptés au contexte local.</li></ul>"
                    ),
                    callout(
                        "info",
                        "Où trouver des programmes probants ?",
                        "<p>Les structures régionales de promotion de la santé (Ireps, "
                        "Promotion santé) proposent des bases documentaires, des répertoires "
                        "d'interventions validées et un appui méthodologique.</p>",
                    ),
                    heading("Une stratégie de communication en santé"),
                    text(
                        "<p>Communiquer en santé, c'est informer, sensibiliser et donner envie "
                        "d'agir, sans stigmatiser. Une stratégie se construit en étapes :</p>"
                        "<ol><li>fixer des objectifs de communication, liés aux objectifs du "
                        "plan d'action ;</li>"
                        "<li>identifier les publics : habitants, professionnels, élus, "
                        "partenaires ;</li>"
                        "<li>formuler des messages clairs, positifs et compréhensibles par "
                        "tous, en tenant compte de la littératie en santé ;</li>"
                        "<li>choisir les canaux et les relais : presse locale, réseaux "
                        "sociaux, bulletins municipaux, professionnels de proximité ;</li>"
                        "<li>établir un calendrier et prévoir l'évaluation.</li></ol>"
                    ),
                    heading("Faire connaître le CLS", "h3"),
                    text(
                        "<p>Un CLS visible mobilise plus facilement. Les ARS mettent souvent à "
                        "disposition un kit de communication : charte graphique, logo associé "
                        "à ceux des signataires, modèles de présentation et de communiqué de "
                        "presse, vignettes pour les réseaux sociaux. Respecter cette charte "
                        "donne un repère visuel commun et renforce la crédibilité de la "
                        "démarche.</p>"
                    ),
                    callout(
                        "example",
                        "Un message accessible",
                        "<p>Plutôt que « Prévention des risques cardiovasculaires chez les "
                        "seniors », préférer « Marcher ensemble chaque mardi : rendez-vous "
                        "place de la mairie à 10 h » — une invitation concrète et "
                        "conviviale.</p>",
                    ),
                ],
            },
            {
                "slug": "leadership-en-sante",
                "title": "Leadership en santé et mobilisation partenariale",
                "duration": "2",
                "introduction": (
                    "Mobiliser sans autorité hiérarchique : leadership partagé, plaidoyer et "
                    "résolution des difficultés dans un projet de santé territorial."
                ),
                "body": [
                    heading("Un leadership sans lien hiérarchique"),
                    text(
                        "<p>Qu'il coordonne un CLS, une CPTS, une maison de santé ou un centre "
                        "de santé, le coordonnateur n'a généralement pas d'autorité sur les "
                        "partenaires qu'il réunit. Son leadership repose sur la <b>légitimité</b> "
                        "conférée par les élus et les signataires, sur sa connaissance du "
                        "territoire et sur sa capacité à donner du sens au projet collectif.</p>"
                        "<p>Il s'agit d'expliquer, de convaincre, de co-construire, de "
                        "reconnaître le rôle de chacun et de valoriser les réussites, pour que "
                        "les partenaires s'approprient le projet.</p>"
                    ),
                    heading("Mobiliser les partenaires", "h3"),
                    text(
                        "<ul><li>Identifier ce que chaque partenaire peut apporter et ce qu'il "
                        "a à y gagner.</li>"
                        "<li>Impliquer les élus dès le début, et les services de la "
                        "collectivité au-delà du seul service santé.</li>"
                        "<li>Mettre les ressources repérées à la disposition du collectif.</li>"
                        "<li>Éviter la sursollicitation en mutualisant les instances avec les "
                        "démarches voisines.</li></ul>"
                    ),
                    heading("Savoir plaider"),
                    text(
                        "<p>Le plaidoyer s'appuie sur les données du diagnostic, des exemples "
                        "d'autres territoires et la parole des habitants. Il vise une décision "
                        "précise et un décideur identifié, au bon moment : préparation d'un "
                        "budget, révision d'un document d'urbanisme, renouvellement d'un "
                        "contrat.</p>"
                    ),
                    callout(
                        "important",
                        "Résoudre les difficultés",
                        "<p>Face à une opposition, le coordonnateur favorise l'expression de "
                        "tous, recentre sur les objectifs partagés, recherche un compromis et, "
                        "si besoin, engage une médiation. Les blocages qui dépassent le niveau "
                        "technique sont portés au comité de pilotage.</p>",
                    ),
                    callout(
                        "example",
                        "Une situation fréquente",
                        "<p>Deux associations se disputent le pilotage d'une action de "
                        "prévention. Plutôt que de trancher seul, le coordonnateur réunit les "
                        "deux structures, clarifie les compétences de chacune et propose un "
                        "co-pilotage avec une répartition des tâches, validé ensuite par le "
                        "comité technique.</p>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "Dans l'arbre des objectifs, à quel niveau correspond une fiche action ?",
                        [
                            ("L'axe", False),
                            ("L'objectif général", False),
                            ("L'objectif opérationnel", True),
                        ],
                        "Relisez la leçon « Du diagnostic au plan d'action », partie « L'arbre "
                        "des objectifs ».",
                    ),
                    question(
                        "Quelles caractéristiques rendent une action éducative plus efficace ?",
                        [
                            ("Partir des besoins exprimés par le public", True),
                            ("S'inscrire dans la durée", True),
                            ("Se limiter à une conférence d'information unique", False),
                        ],
                        "Revoyez la leçon « Stratégies éducatives et communication en santé ».",
                    ),
                    question(
                        "Sur quoi repose principalement le leadership d'un coordonnateur ?",
                        [
                            ("Sur une autorité hiérarchique sur les partenaires", False),
                            (
                                "Sur sa légitimité et sa capacité à donner du sens au projet collectif",
                                True,
                            ),
                            ("Sur le montant des financements qu'il distribue", False),
                        ],
                        "Relisez la partie « Un leadership sans lien hiérarchique ».",
                    ),
                    question(
                        "Qui pilote de préférence une fiche action ?",
                        [
                            ("Toujours le coordonnateur du CLS", False),
                            ("Un acteur expert du sujet, dont l'engagement est officialisé", True),
                            ("Le directeur général de l'ARS", False),
                        ],
                        "Revoyez l'encadré sur les rubriques incontournables d'une fiche action.",
                    ),
                ],
            },
        ],
    },
    {
        "number": 6,
        "slug": "sante-environnement",
        "title": "Santé environnement",
        "kind": "optional",
        "hours": ("6", "4", "6"),
        "summary": (
            "Comprendre les liens entre environnement et santé, dresser un état des lieux "
            "local et construire un plan d'action en santé environnement au sein du CLS."
        ),
        "themes": [
            "Définition et enjeux de la santé environnement appliqués au CLS",
            "Réaliser un état des lieux",
            "Elaborer un plan d'action local",
        ],
        "objectives": (
            "<ul><li>Définir la santé environnement et ses enjeux pour un territoire.</li>"
            "<li>Réaliser un état des lieux local en santé environnement.</li>"
            "<li>Construire un plan d'action articulé avec le PRSE et les politiques "
            "locales.</li></ul>"
        ),
        "competences": ["D1.1", "D1.3", "D2.2", "D4.4"],
        "lessons": [
            {
                "slug": "enjeux-sante-environnement",
                "title": "La santé environnement : définition et enjeux pour un CLS",
                "duration": "2",
                "introduction": (
                    "Ce que recouvre la santé environnement et pourquoi les collectivités "
                    "disposent de leviers décisifs pour agir."
                ),
                "body": [
                    heading("Une définition large"),
                    text(
                        "<p>La santé environnement s'intéresse à tous les effets sur la santé "
                        "des facteurs physiques, chimiques et biologiques de notre "
                        "environnement, mais aussi de notre cadre de vie : qualité de l'air "
                        "intérieur et extérieur, eau, bruit, sols, logement, espaces verts, "
                        "îlots de chaleur, alimentation. Ces déterminants sont souvent "
                        "sous-estimés, alors que les collectivités ont précisément la main sur "
                        "nombre d'entre eux.</p>"
                    ),
                    heading("Des leviers locaux", "h3"),
                    text(
                        "<ul><li><b>Urbanisme et aménagement</b> : un urbanisme favorable à la "
                        "santé intègre les espaces verts, les mobilités actives, la réduction "
                        "des nuisances.</li>"
                        "<li><b>Logement</b> : lutte contre l'habitat indigne, la précarité "
                        "énergétique, les polluants intérieurs.</li>"
                        "<li><b>Mobilité</b> : la marche et le vélo réduisent la pollution et "
                        "augmentent l'activité physique.</li>"
                        "<li><b>Restauration collective</b> : une alimentation de qualité à "
                        "l'école et en établissement.</li></ul>"
                    ),
                    callout(
                        "info",
                        "Le plan régional santé environnement",
                        "<p>Chaque région dispose d'un plan régional santé environnement "
                        "(PRSE), qui décline le plan national. Le volet santé environnement "
                        "d'un CLS s'y réfère, notamment pour la qualité de l'eau et de "
                        "l'air.</p>",
                    ),
                    heading("Des inégalités environnementales"),
                    text(
                        "<p>Les expositions ne sont pas réparties au hasard : les ménages "
                        "modestes vivent plus souvent près des axes routiers, dans des "
                        "logements mal isolés ou dans des quartiers pauvres en espaces verts. "
                        "La santé environnement rejoint donc directement l'objectif de "
                        "réduction des inégalités sociales et territoriales de santé.</p>"
                    ),
                    heading("Une seule santé", "h3"),
                    text(
                        "<p>L'approche « One Health » rappelle que santé humaine, santé "
                        "animale, santé végétale et santé des écosystèmes sont "
                        "interdépendantes. Elle invite à travailler avec des acteurs "
                        "inhabituels pour un CLS : services environnement et espaces verts, "
                        "agriculteurs, vétérinaires, associations naturalistes.</p>"
                    ),
                    callout(
                        "example",
                        "Des documents à croiser",
                        "<p>Plan climat-air-énergie territorial (PCAET), plan local "
                        "d'urbanisme (PLU), plan de déplacements, contrat de relance et de "
                        "transition écologique (CRTE) : autant de documents où la santé peut "
                        "être prise en compte grâce au CLS.</p>",
                    ),
                ],
            },
            {
                "slug": "etat-des-lieux-et-plan-d-action-environnement",
                "title": "État des lieux et plan d'action local en santé environnement",
                "duration": "2",
                "introduction": (
                    "Réunir données, acteurs et perceptions des habitants pour dresser un état "
                    "des lieux, puis en tirer un plan d'action réaliste."
                ),
                "body": [
                    heading("Réaliser un état des lieux"),
                    text(
                        "<p>L'état des lieux en santé environnement combine :</p>"
                        "<ul><li>des <b>données</b> : qualité de l'air et de l'eau, bruit, "
                        "habitat dégradé, îlots de chaleur, sites et sols pollués, exposition "
                        "des populations sensibles ;</li>"
                        "<li>un <b>recensement des acteurs et des actions</b> déjà engagées : "
                        "services de la collectivité, associations, plans existants ;</li>"
                        "<li>les <b>perceptions des habitants</b> : nuisances ressenties, "
                        "inquiétudes, attentes, recueillies par questionnaire, balade "
                        "urbaine ou réunion publique.</li></ul>"
                    ),
                    callout(
                        "important",
                        "Croiser plutôt que juxtaposer",
                        "<p>Superposer les données environnementales et sociales permet de "
                        "repérer les secteurs qui cumulent expositions et fragilités : ce sont "
                        "eux qu'il faut viser en priorité.</p>",
                    ),
                    heading("Construire le plan d'action"),
                    text(
                        "<ol><li>Prioriser les enjeux avec les acteurs, au regard de leur "
                        "gravité, du nombre de personnes concernées et des leviers "
                        "disponibles.</li>"
                        "<li>Formuler des objectifs évaluables et les relier au PRSE.</li>"
                        "<li>Rédiger des fiches actions avec un pilote identifié, souvent un "
                        "service de la collectivité (urbanisme, environnement, "
                        "habitat).</li>"
                        "<li>Prévoir des indicateurs de processus et de résultats.</li>"
                        "<li>Mobiliser l'évaluation d'impact sur la santé pour les grands "
                        "projets d'aménagement.</li></ol>"
                    ),
                    callout(
                        "example",
                        "Exemples d'actions",
                        "<ul><li>Sensibiliser les familles à la qualité de l'air intérieur "
                        "avec des conseillers en environnement intérieur.</li>"
                        "<li>Végétaliser les cours d'école les plus exposées à la chaleur.</li>"
                        "<li>Repérer les logements indignes avec les travailleurs sociaux et "
                        "les bailleurs.</li></ul>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "À quel plan régional le volet santé environnement d'un CLS se réfère-t-il ?",
                        [
                            ("Le plan régional santé environnement (PRSE)", True),
                            ("Le programme de réussite éducative (PRE)", False),
                            ("La convention territoriale globale (CTG)", False),
                        ],
                        "Revoyez l'encadré « Le plan régional santé environnement ».",
                    ),
                    question(
                        "Quelles compétences locales agissent sur la santé environnement ?",
                        [
                            ("L'urbanisme et l'aménagement", True),
                            ("Le logement", True),
                            ("La mobilité", True),
                            ("La délivrance des diplômes universitaires", False),
                        ],
                        "Relisez la partie « Des leviers locaux ».",
                    ),
                    question(
                        "Pourquoi croiser données environnementales et sociales dans l'état des lieux ?",
                        [
                            (
                                "Pour repérer les secteurs qui cumulent expositions et fragilités",
                                True,
                            ),
                            ("Pour réduire le nombre d'acteurs à associer", False),
                            (
                                "Parce que les données sociales remplacent les mesures environnementales",
                                False,
                            ),
                        ],
                        "Revoyez l'encadré « Croiser plutôt que juxtaposer ».",
                    ),
                ],
            },
        ],
    },
    {
        "number": 7,
        "slug": "sante-mentale",
        "title": "Santé mentale",
        "kind": "optional",
        "hours": ("6", "4", "6"),
        "summary": (
            "Construire le volet santé mentale du CLS : notions clés, acteurs et dispositifs du "
            "territoire, état des lieux et plan d'action local en lien avec le projet "
            "territorial de santé mentale."
        ),
        "themes": [
            "Définition et enjeux de la santé mentale appliqués au CLS",
            "Réaliser un état des lieux",
            "Elaborer un plan d'action local",
        ],
        "objectives": (
            "<ul><li>Définir la santé mentale et ses déterminants.</li>"
            "<li>Situer le CLS par rapport au CLSM, au PTSM et au CTSM.</li>"
            "<li>Conduire un état des lieux et élaborer le volet santé mentale du plan "
            "d'action.</li></ul>"
        ),
        "competences": ["D1.1", "D1.3", "D2.4", "D2.7"],
        "lessons": [
            {
                "slug": "enjeux-sante-mentale",
                "title": "La santé mentale : définition et enjeux pour un CLS",
                "duration": "2",
                "introduction": (
                    "Ce que recouvre la santé mentale, pourquoi elle concerne tout le "
                    "territoire et quels dispositifs le CLS doit connaître."
                ),
                "body": [
                    heading("Bien plus que la psychiatrie"),
                    text(
                        "<p>Pour l'OMS, la santé mentale est un état de bien-être qui permet à "
                        "chacun de faire face aux difficultés normales de la vie, de réaliser "
                        "son potentiel, de travailler et de contribuer à la vie de sa "
                        "communauté. Elle ne se réduit pas à l'absence de troubles : chacun se "
                        "situe, à un moment donné, quelque part entre bien-être et "
                        "souffrance, et peut évoluer.</p>"
                        "<p>Comme la santé physique, la santé mentale dépend de déterminants "
                        "sociaux : isolement, précarité, conditions de travail, logement, "
                        "discriminations. Les compétences psychosociales, développées dès "
                        "l'enfance, en sont un facteur de protection.</p>"
                    ),
                    callout(
                        "important",
                        "Une obligation légale",
                        "<p>Depuis la loi « 3DS » du 21 février 2022, chaque CLS comporte un "
                        "volet consacré à la santé mentale, qui tient compte du projet "
                        "territorial de santé mentale. Ce volet peut prendre la forme de la "
                        "création d'un conseil local de santé mentale.</p>",
                    ),
                    heading("Les dispositifs à connaître"),
                    text(
                        "<ul><li><b>Le conseil local de santé mentale</b> (CLSM), reconnu par "
                        "la loi de modernisation de notre système de santé du 26 janvier 2016, "
                        "réunit élus, psychiatrie publique, usagers, aidants et "
                        "professionnels. Il promeut une vision globale de la santé mentale et "
                        "lutte contre la stigmatisation.</li>"
                        "<li><b>Le projet territorial de santé mentale</b> (PTSM) organise, à "
                        "l'échelle d'un territoire, les parcours en santé mentale et "
                        "psychiatrie.</li>"
                        "<li><b>Le contrat territorial de santé mentale</b> (CTSM) décline le "
                        "PTSM en actions, par exemple pour déstigmatiser et fluidifier les "
                        "parcours.</li>"
                        "<li><b>La commission spécialisée en santé mentale</b> (CSSM) du "
                        "conseil territorial de santé suit ces travaux.</li></ul>"
                    ),
                    heading("Lutter contre la stigmatisation", "h3"),
                    text(
                        "<p>Les idées reçues sur les troubles psychiques retardent l'accès "
                        "aux soins et isolent les personnes. Un CLS peut sensibiliser le "
                        "grand public et les professionnels de première ligne (accueil "
                        "municipal, bailleurs, enseignants) et donner la parole aux personnes "
                        "concernées et à leurs proches.</p>"
                    ),
                    callout(
                        "example",
                        "La santé mentale des jeunes",
                        "<p>Les priorités régionales font souvent de la santé mentale des "
                        "jeunes un axe à part entière. Le CLS peut y associer établissements "
                        "scolaires, missions locales, service jeunesse et professionnels de "
                        "santé.</p>",
                    ),
                ],
            },
            {
                "slug": "etat-des-lieux-et-plan-d-action-sante-mentale",
                "title": "État des lieux et plan d'action local en santé mentale",
                "duration": "2",
                "introduction": (
                    "Identifier besoins et ressources en santé mentale sur le territoire, puis "
                    "construire un plan d'action articulé avec le PTSM."
                ),
                "body": [
                    heading("Réaliser un état des lieux"),
                    text(
                        "<p>L'état des lieux rassemble :</p>"
                        "<ul><li>des <b>données</b> sur la santé mentale de la population et "
                        "ses déterminants (isolement, précarité, âge), issues de "
                        "l'observatoire régional de santé ou de l'assurance maladie ;</li>"
                        "<li>la <b>cartographie des ressources</b> : secteur psychiatrique, "
                        "professionnels libéraux, associations d'usagers et de familles, "
                        "groupes d'entraide, dispositifs d'accompagnement social et "
                        "médico-social ;</li>"
                        "<li>les <b>constats des acteurs de terrain</b> : situations "
                        "complexes, ruptures de parcours, difficultés d'accès aux soins ;</li>"
                        "<li>les <b>diagnostics existants</b>, au premier rang desquels celui "
                        "du PTSM, pour ne pas refaire ce qui existe.</li></ul>"
                    ),
                    callout(
                        "info",
                        "S'appuyer sur le PTSM",
                        "<p>Le volet santé mentale du CLS reprend les priorités du PTSM "
                        "pertinentes pour le territoire et les complète par des actions de "
                        "proximité que la collectivité peut porter.</p>",
                    ),
                    heading("Élaborer le plan d'action"),
                    text(
                        "<ol><li>Choisir les priorités avec les acteurs : prévention et "
                        "promotion de la santé mentale, repérage, accès aux soins, "
                        "inclusion.</li>"
                        "<li>Décider de la gouvernance : créer un CLSM ou s'appuyer sur un "
                        "CLSM existant, en évitant de multiplier les instances.</li>"
                        "<li>Rédiger les fiches actions, avec des pilotes issus de la "
                        "psychiatrie, des associations ou des services de la "
                        "collectivité.</li>"
                        "<li>Définir les indicateurs et le calendrier.</li></ol>"
                    ),
                    callout(
                        "example",
                        "Exemples d'actions",
                        "<ul><li>Former les agents d'accueil de la collectivité et les "
                        "gardiens d'immeubles au repérage et à l'orientation.</li>"
                        "<li>Organiser une cellule de concertation pour les situations "
                        "complexes, avec l'accord des personnes.</li>"
                        "<li>Programmer des actions grand public lors des Semaines "
                        "d'information sur la santé mentale.</li></ul>",
                    ),
                ],
                "knowledge_check": [
                    question(
                        "Quelle loi impose un volet santé mentale dans chaque CLS ?",
                        [
                            ("La loi « 3DS » du 21 février 2022", True),
                            ("La loi HPST de 2009", False),
                            ("La loi de programmation pour la ville de 2014", False),
                        ],
                        "Revoyez l'encadré « Une obligation légale ».",
                    ),
                    question(
                        "Qui réunit un conseil local de santé mentale ?",
                        [
                            ("Des élus", True),
                            ("La psychiatrie publique", True),
                            ("Des usagers et leurs aidants", True),
                            ("Uniquement des psychiatres libéraux", False),
                        ],
                        "Relisez la partie « Les dispositifs à connaître ».",
                    ),
                    question(
                        "Sur quel diagnostic existant le volet santé mentale doit-il d'abord s'appuyer ?",
                        [
                            ("Celui du projet territorial de santé mentale (PTSM)", True),
                            ("Celui du plan local d'urbanisme", False),
                            ("Aucun : il faut toujours repartir de zéro", False),
                        ],
                        "Revoyez la partie « Réaliser un état des lieux ».",
                    ),
                ],
            },
        ],
    },
]

# --- Resource library ----------------------------------------------------------------------------
# modules: module numbers the resource is linked to.

RESOURCE_SOURCE = "Guide régional CLS (ARS Normandie, 2025)"

RESOURCES = [
    {
        "order": 1,
        "title": "Fiche 1 — Le rôle d'appui de l'ARS",
        "category": "sheet",
        "modules": [1],
        "summary": (
            "Le CLS est porté à deux : la collectivité et l'ARS, qui l'accompagne selon ses "
            "besoins. La direction départementale veille à la cohérence des actions avec les "
            "autres dispositifs de l'ARS et avec le projet régional de santé. Un référent "
            "nominatif est désigné comme interlocuteur de la collectivité. La fiche décrit "
            "aussi le cofinancement possible du poste de coordination et le dialogue de "
            "gestion annuel."
        ),
    },
    {
        "order": 2,
        "title": "Fiche 2 — Périmètre du CLS",
        "category": "sheet",
        "modules": [1],
        "summary": (
            "Quatre questions pour cadrer un contrat : quel territoire, quelles thématiques, "
            "quels signataires, quelle durée. L'intercommunalité est l'échelle la plus "
            "fréquente, mais une commune ou plusieurs EPCI sont possibles. Les thématiques "
            "découlent du diagnostic local et des priorités du projet régional de santé. Le "
            "contrat est conclu pour trois à cinq ans, avec au minimum l'ARS et la "
            "collectivité comme signataires."
        ),
    },
    {
        "order": 3,
        "title": "Fiche 3 — Gouvernance et coordination",
        "category": "sheet",
        "modules": [1, 2],
        "summary": (
            "La fiche présente les trois niveaux de gouvernance : comité de pilotage "
            "stratégique présidé par l'élu référent, comité technique animé par le "
            "coordonnateur, groupes de travail. Elle précise leur composition, leur fréquence "
            "de réunion et leurs missions. Elle rappelle que la coordination doit être "
            "intégrée à l'organigramme de la collectivité, appuyée par un élu référent et "
            "dotée de moyens et de légitimité."
        ),
    },
    {
        "order": 4,
        "title": "Fiche 4 — Missions de coordination",
        "category": "sheet",
        "modules": [1, 2],
        "summary": (
            "Une aide pour construire la fiche de poste du coordonnateur : profil attendu, "
            "niveau de catégorie A, compétences en conduite de projet et en animation. Les "
            "missions sont regroupées en trois familles : coordination, animation et "
            "accompagnement. La fiche détaille, pour chacune, les tâches concrètes, du "
            "pilotage du diagnostic à l'évaluation du contrat."
        ),
    },
    {
        "order": 5,
        "title": "Fiche 5 — Conduite de projet",
        "category": "sheet",
        "modules": [1, 5],
        "summary": (
            "Le CLS se conduit en trois phases : une phase préalable d'engagement des élus, "
            "une phase de diagnostic et d'élaboration du plan d'action, puis une phase de mise "
            "en œuvre et d'évaluation. Un tableau indique pour chaque étape son objectif, son "
            "contenu et les acteurs concernés. La fiche précise aussi le rôle du "
            "coordonnateur après la signature et les attendus de l'évaluation annuelle et "
            "finale."
        ),
    },
    {
        "order": 6,
        "title": "Fiche 6 — Mener un diagnostic local",
        "category": "sheet",
        "modules": [2, 5, 6, 7],
        "summary": (
            "Le diagnostic local partagé analyse la population, son état de santé, ses "
            "comportements et les autres déterminants : contexte socio-économique, "
            "environnement, offre de soins. Il associe données quantitatives et qualitatives "
            "et repose sur une démarche participative et intersectorielle. La fiche liste ses "
            "objectifs et les ressources mobilisables : analyse des besoins sociaux, "
            "évaluations d'impact sur la santé, diagnostics d'autres dispositifs, appui de "
            "l'observatoire régional de santé."
        ),
    },
    {
        "order": 7,
        "title": "Fiche 7 — Structurer le plan d'action",
        "category": "sheet",
        "modules": [2, 5],
        "summary": (
            "Du résultat du diagnostic à la fiche action : identifier les priorités, bâtir un "
            "arbre des objectifs puis passer de l'objectif à l'action. La fiche donne une "
            "méthode pour rédiger des objectifs clairs et évaluables (verbe, facteur, "
            "population, échéance). Elle explique comment constituer des groupes de travail "
            "thématiques ou populationnels pour construire les actions."
        ),
    },
    {
        "order": 8,
        "title": "Modèle de fiche action CLS",
        "category": "sheet",
        "modules": [4, 5],
        "summary": (
            "Le modèle régional de fiche action, rubrique par rubrique : axe, objectifs "
            "général, spécifique et opérationnel, contexte, description, calendrier, pilote, "
            "partenaires, public, indicateurs et budget. Les rubriques incontournables sont "
            "signalées. Un exemple complet illustre son usage pour une action de lutte contre "
            "l'isolement des personnes âgées."
        ),
    },
    {
        "order": 9,
        "title": "Fiche 8 — Indicateurs d'évaluation et démarche évaluative d'un CLS",
        "category": "sheet",
        "modules": [4],
        "summary": (
            "L'évaluation d'un CLS se mène en continu puis en fin de contrat. La fiche "
            "distingue indicateurs quantitatifs et qualitatifs, de processus et de résultats, "
            "avec des exemples. Elle propose une grille de protocole d'évaluation et des "
            "outils de suivi du programme et de chaque action. Elle liste enfin les champs "
            "d'une évaluation finale complète, de la gouvernance aux financements."
        ),
    },
    {
        "order": 10,
        "title": "Définitions des principaux concepts en santé",
        "category": "sheet",
        "modules": [3, 6, 7],
        "summary": (
            "Une annexe qui rassemble les notions de base : la santé selon l'OMS, la "
            "promotion de la santé et la Charte d'Ottawa, les déterminants de santé et les "
            "inégalités sociales et territoriales de santé. Elle présente aussi le gradient "
            "social, l'universalisme proportionné, la littératie en santé, l'approche « Une "
            "seule santé » et les compétences psychosociales. Utile pour préparer un "
            "argumentaire auprès des élus."
        ),
    },
    {
        "order": 11,
        "title": "Kit communication du CLS",
        "category": "sheet",
        "modules": [5],
        "summary": (
            "Une annexe sur la communication autour du contrat : le logo CLS s'utilise "
            "toujours avec ceux de l'ARS et de la collectivité signataire. Une charte "
            "graphique garantit un repère visuel commun et la cohérence des supports. Des "
            "modèles sont proposés : en-têtes, présentation, vignettes pour les réseaux "
            "sociaux, trame de communiqué de presse."
        ),
    },
    {
        "order": 1,
        "title": "Référentiel de compétences du métier de coordonnateur CLS (2023)",
        "category": "framework",
        "source": "Référentiel de compétences du coordonnateur CLS (2023)",
        "modules": [1, 2],
        "summary": (
            "Le référentiel décrit le contexte de la fonction, ses missions principales et le "
            "profil recherché. Il détaille les savoirs, savoir-faire et savoir-être attendus, "
            "de la méthodologie de projet à la capacité de négocier et de fédérer. Il insiste "
            "sur l'articulation avec l'ASV, le CLSM, le contrat de ville, la CPTS et le projet "
            "territorial de santé. Il sert de base au référentiel de la plateforme."
        ),
    },
]

# --- Regions, cohorts and demo accounts ----------------------------------------------------------

REGIONS = [
    ("Bretagne", "bretagne", "Europe/Paris"),
    ("Centre-Val de Loire", "centre-val-de-loire", "Europe/Paris"),
    ("Grand Est", "grand-est", "Europe/Paris"),
    ("Guyane", "guyane", "America/Cayenne"),
    ("Île-de-France", "ile-de-france", "Europe/Paris"),
    ("Occitanie", "occitanie", "Europe/Paris"),
    ("Provence-Alpes-Côte d'Azur", "provence-alpes-cote-d-azur", "Europe/Paris"),
    ("La Réunion", "la-reunion", "Indian/Reunion"),
]

COHORT_NAME = "Promotion 2026 — {region}"
COHORT_START = datetime.date(2026, 9, 1)
COHORT_END = datetime.date(2027, 6, 30)

DEMO_PASSWORD = "demo-cls-2026"

# regions: slugs of the regions an ARS staff member is in charge of;
# cohort_region: slug of the region whose cohort the learner is enrolled in.
DEMO_ACCOUNTS = [
    {
        "email": "apprenante@demo.cls.fr",
        "first_name": "Camille",
        "last_name": "Le Goff",
        "role": "learner",
        "cohort_region": "bretagne",
    },
    {
        "email": "referente.ars@demo.cls.fr",
        "first_name": "Sophie",
        "last_name": "Kerjean",
        "role": "ars_staff",
        "regions": ["bretagne"],
    },
    {
        "email": "formateur@demo.cls.fr",
        "first_name": "Julien",
        "last_name": "Marchand",
        "role": "trainer",
    },
    {
        "email": "correctrice@demo.cls.fr",
        "first_name": "Anne",
        "last_name": "Quéré",
        "role": "trainer",
    },
    {
        "email": "equipe.pedagogique@demo.cls.fr",
        "first_name": "Claire",
        "last_name": "Fontaine",
        "role": "pedagogical_team",
        "is_staff": True,
        "is_superuser": True,
    },
]
