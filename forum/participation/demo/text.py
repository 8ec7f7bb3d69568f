"""Chilean-Spanish phrase banks for demo ideas and council answers.

The themes are the "PRIMERAS IDEAS PROVENIENTES DE LOS DIÁLOGOS" of the seed report, plus two
lines the report itself argues for (employability beyond training; alignment with the regional
development strategy). Slots: {comuna}, {region}, {sector}, {grupo}, {oficio}.
"""

# Sentences are kept whole, one per line, so they read (and grep) as the text they are.
# ruff: noqa: E501

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Motif:
    """One concrete proposal: ways to title it, problems that lead to it, ways to say it."""

    titles: list[str]
    problems: list[str]
    proposals: list[str]


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str
    motifs: list[Motif]
    details: list[str] = field(default_factory=list)
    # What a council typically agrees when it accepts / partly accepts / rejects.
    accept: list[str] = field(default_factory=list)
    partly: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)


M = Motif

GRUPOS = [
    "personas sordas",
    "personas con discapacidad",
    "mujeres jefas de hogar",
    "jóvenes que no estudian ni trabajan",
    "personas mayores de 50 años",
    "personas migrantes",
    "personas de pueblos originarios",
    "personas que salen de la cárcel",
    "cuidadoras",
    "trabajadores de temporada",
    "personas en situación de calle",
    "madres adolescentes",
]

OFICIOS = [
    "soldadura",
    "operador de grúa horquilla",
    "cocina",
    "guía de turismo",
    "electricidad",
    "mecánica automotriz",
    "manipulación de alimentos",
    "operación de maquinaria agrícola",
    "asistente de párvulos",
    "programación web",
    "instalación de paneles solares",
    "gasfitería",
    "peluquería",
    "cuidado de adultos mayores",
    "bodega y logística",
    "computación básica",
    "contabilidad para pymes",
    "atención al cliente",
    "mantención industrial",
    "carpintería",
]

THEMES: list[Theme] = [
    Theme(
        slug="calidad-otec",
        name="Calidad de las OTEC",
        description="Cómo asegurar que los organismos técnicos de capacitación enseñen bien.",
        motifs=[
            M(
                [
                    "Fiscalizar de verdad la calidad de las OTEC",
                    "Auditorías sorpresa a las OTEC de {region}",
                    "Más supervisión a los cursos de {oficio} en {comuna}",
                ],
                [
                    "Hay cursos donde el relator lee las diapositivas y nada más.",
                    "A veces el curso se acorta sin aviso y igual se paga completo.",
                    "La supervisión hoy es revisar papeles; nadie va a ver las clases.",
                ],
                [
                    "Que se fiscalice en terreno, con visitas sin aviso, y no solo revisando papeles.",
                    "Propongo que SENCE haga visitas sorpresa a los cursos y publique lo que encuentra.",
                ],
            ),
            M(
                [
                    "Que las OTEC tengan una evaluación pública de calidad",
                    "Ranking de OTEC con la opinión de los alumnos",
                    "Encuesta de satisfacción obligatoria al terminar cada curso",
                ],
                [
                    "Los alumnos no tienen dónde reclamar cuando un curso es malo.",
                    "La calidad depende mucho de la OTEC que te toque, es una lotería.",
                    "Nadie le pregunta a los alumnos qué les pareció el curso.",
                ],
                [
                    "Propongo que SENCE publique una nota de calidad de cada OTEC, con la opinión de "
                    "los alumnos.",
                    "Que al final de cada curso se haga una encuesta y los resultados sean públicos.",
                    "Que exista un canal simple, por WhatsApp por ejemplo, para reclamar por un curso.",
                ],
            ),
            M(
                [
                    "Relatores de las OTEC con experiencia real en el oficio",
                    "Exigir a las OTEC relatores con formación pedagógica",
                ],
                [
                    "Conozco gente que terminó un curso de {oficio} y no sabe hacer lo básico.",
                    "Hay relatores que nunca han trabajado en lo que enseñan.",
                ],
                [
                    "Que los relatores acrediten experiencia en el oficio que enseñan.",
                    "Que se exija a los relatores un curso de formación de formadores.",
                ],
            ),
            M(
                [
                    "Cursos de {oficio} con práctica y no solo teoría",
                    "Que las OTEC tengan talleres equipados para {oficio}",
                    "Mejores materiales en los cursos de {oficio}",
                ],
                [
                    "En {comuna} hicimos un curso de {oficio} sin tocar nunca una herramienta.",
                    "Los talleres están mal equipados y faltan materiales.",
                ],
                [
                    "Que cada curso tenga un porcentaje mínimo de horas prácticas.",
                    "Que no se apruebe un curso de {oficio} si la OTEC no tiene taller equipado.",
                ],
            ),
            M(
                [
                    "Sacar del registro a las OTEC que no cumplen",
                    "Que las OTEC rindan cuenta de cuántos egresados encuentran pega",
                ],
                [
                    "Muchas OTEC se crean solo para postular a licitaciones y después desaparecen.",
                    "Las empresas de {sector} dicen que los egresados llegan sin las competencias que "
                    "piden.",
                ],
                [
                    "Que las OTEC con malos resultados queden fuera de las próximas licitaciones.",
                    "Que el pago a la OTEC dependa en parte de los resultados de los alumnos.",
                    "Que las empresas de {sector} participen en evaluar a las OTEC de la región.",
                ],
            ),
        ],
        details=[
            "Así uno puede elegir con información.",
            "No puede ser que se repitan los mismos problemas año tras año.",
            "Esto lo conversamos harto en la mesa y todos estaban de acuerdo.",
            "Es plata de todos los chilenos y hay que cuidarla.",
            "Las OTEC buenas también ganan con esto.",
        ],
        accept=[
            "incorporar en las bases de licitación de {year} una evaluación de satisfacción "
            "obligatoria y publicar sus resultados por OTEC en el sitio de SENCE",
            "pedir a la Dirección Regional un plan de fiscalización en terreno con visitas sin "
            "aviso a los cursos de la región",
        ],
        partly=[
            "publicar los resultados de satisfacción por OTEC; la exclusión automática de "
            "organismos no es posible por ley, pero se considerará en la evaluación técnica",
            "aumentar las visitas de supervisión; el pago por resultados se estudiará con el "
            "nivel central para el próximo año",
        ],
        reject=[
            "no es posible excluir OTEC fuera de lo que establece la Ley 19.518; el consejo pidió "
            "en cambio reforzar la supervisión que ya existe",
        ],
    ),
    Theme(
        slug="seguimiento-impacto",
        name="Seguimiento y medición de impacto de las capacitaciones",
        description="Saber qué pasa con las personas después del curso.",
        motifs=[
            M(
                [
                    "Seguimiento de los egresados a los seis meses",
                    "Que SENCE llame a los alumnos después del curso",
                    "Encuesta de seguimiento por WhatsApp a los egresados",
                ],
                [
                    "Hoy nadie sabe qué pasa con la gente después de terminar un curso.",
                    "Terminas el curso y nunca más te llaman.",
                ],
                [
                    "Propongo un seguimiento a los 3, 6 y 12 meses de terminado el curso.",
                    "Que se haga una encuesta corta por WhatsApp o Telegram a los egresados.",
                ],
            ),
            M(
                [
                    "Medir si la capacitación sirvió para encontrar trabajo",
                    "Cruzar datos con el seguro de cesantía para medir impacto",
                    "Que el seguimiento incluya la calidad del empleo, no solo si hay empleo",
                ],
                [
                    "Se mide cuántos se inscriben pero no cuántos encuentran trabajo.",
                    "Sin datos no se puede saber qué programas funcionan y cuáles no.",
                    "Los egresados de {oficio} en {comuna} terminan trabajando en otra cosa.",
                ],
                [
                    "Que se use el registro de cotizaciones para medir sin molestar a la gente.",
                    "Que se mida el sueldo y el tipo de contrato, no solo si la persona trabaja.",
                ],
            ),
            M(
                [
                    "Publicar los resultados de empleabilidad de cada programa",
                    "Informe anual de resultados de la capacitación en {region}",
                    "Indicadores de impacto por región y no solo a nivel nacional",
                ],
                ["Las cifras que se publican son nacionales y no dicen nada de la región."],
                [
                    "Que SENCE publique cada año cuántos egresados encontraron trabajo, por programa y "
                    "por comuna.",
                    "Que el Consejo Regional revise estos resultados al menos dos veces al año.",
                ],
            ),
            M(
                [
                    "Devolver a la comunidad lo que se propuso en los diálogos",
                    "Un código para seguir cada idea de los diálogos",
                ],
                [
                    "En los diálogos anteriores propusimos cosas y nunca supimos qué pasó.",
                    "Hay desconfianza porque no existe retroalimentación de lo propuesto.",
                ],
                [
                    "Que cada idea de los diálogos tenga un código para seguirla, como un número de "
                    "reclamo.",
                    "Que el consejo responda por escrito cada propuesta, aunque sea para decir que no.",
                ],
            ),
        ],
        details=[
            "Lo que no se mide no se puede mejorar.",
            "Así el Consejo puede decidir con evidencia.",
            "Esto también ayuda a elegir mejor las OTEC.",
            "La gente participa más si ve que lo que dice sirve.",
        ],
        accept=[
            "implementar desde {year} una encuesta de seguimiento a los seis meses para todos los "
            "programas de la región, con resultados públicos por comuna",
            "incluir en cada sesión del consejo un punto de seguimiento de las ideas de los diálogos",
        ],
        partly=[
            "usar los datos administrativos de cotizaciones para medir empleabilidad; la encuesta "
            "telefónica queda sujeta a presupuesto",
        ],
        reject=[
            "la medición de impacto de los programas la realiza el nivel central con metodología "
            "experimental; el consejo pedirá que se publiquen los resultados regionales",
        ],
    ),
    Theme(
        slug="ampliar-cobertura",
        name="Ampliar cobertura de los programas",
        description="Que la capacitación llegue a más personas y a más lugares.",
        motifs=[
            M(
                [
                    "Más cupos de capacitación en {comuna}",
                    "Cursos en {comuna}, no solo en la capital regional",
                    "Abrir cursos de {oficio} en {comuna}",
                ],
                [
                    "Los cupos se llenan en un día y mucha gente queda fuera.",
                    "En {comuna} hay pura demanda de {oficio} y no se abre ningún curso.",
                ],
                [
                    "Que se aumenten los cupos en {comuna} según la demanda de las OMIL.",
                    "Que se abran cursos en {comuna} y no solo en la capital regional.",
                ],
            ),
            M(
                [
                    "Cursos en sectores rurales de {region}",
                    "Cursos itinerantes para las localidades aisladas",
                    "Que los programas lleguen a las islas y caletas",
                ],
                [
                    "Los cursos se hacen siempre en la capital regional y desde {comuna} es caro viajar.",
                    "En el campo no llega ningún programa, la gente se tiene que ir a la ciudad.",
                ],
                [
                    "Propongo cursos itinerantes que vayan a las localidades, con un bus equipado.",
                    "Que los cursos se hagan en las sedes vecinales de los sectores rurales.",
                ],
            ),
            M(
                ["Capacitación con horario vespertino para quienes trabajan", "Cursos los sábados"],
                ["Quienes trabajan de día no pueden ir a cursos en la mañana."],
                ["Que haya cursos vespertinos y los sábados."],
            ),
            M(
                [
                    "Subsidio de locomoción para llegar a los cursos",
                    "Pagar la locomoción al inicio del curso",
                ],
                [
                    "El bono de movilización no alcanza ni para la micro.",
                    "Muchos dejan el curso a la mitad porque no les alcanza para el pasaje.",
                ],
                ["Que se pague la locomoción por adelantado y no al final del curso."],
            ),
            M(
                [
                    "Sala cuna durante los cursos para madres y padres",
                    "Cuidado infantil para poder capacitarse",
                ],
                ["Las mamás no pueden capacitarse porque no tienen con quién dejar a los niños."],
                ["Que los cursos tengan un espacio de cuidado infantil o convenio con jardines."],
            ),
            M(
                [
                    "Más becas para {grupo}",
                    "Cupos reservados para {grupo} en los cursos de {oficio}",
                    "Abrir programas para personas mayores de 55 años",
                ],
                ["Para {grupo} casi no hay cupos y compiten con todos los demás."],
                ["Que se reserven cupos para {grupo}."],
            ),
            M(
                ["Que no se pidan tantos requisitos para postular", "Postular sin tanto papeleo"],
                ["Piden documentos que mucha gente no tiene a mano."],
                ["Que la postulación se pueda hacer por WhatsApp, sin tanto papeleo."],
            ),
        ],
        details=[
            "Así la capacitación llega a quien más la necesita.",
            "Hay mucha gente con ganas y sin oportunidad.",
            "La OMIL puede ayudar a difundir y a inscribir.",
            "Esto lo pedimos también en el diálogo del año pasado.",
        ],
        accept=[
            "aumentar en un 15 % los cupos para {comuna} en el plan regional de {year} y abrir "
            "una sección vespertina",
            "incorporar el pago anticipado del subsidio de locomoción en los cursos de comunas "
            "rurales",
        ],
        partly=[
            "abrir cursos en {comuna} durante {year}; el cuidado infantil se gestionará con "
            "convenios municipales donde sea posible",
        ],
        reject=[
            "los cupos del año ya están comprometidos; el consejo priorizará {comuna} en la "
            "planificación del próximo año",
        ],
    ),
    Theme(
        slug="focalizacion-regional",
        name="Focalización por perfil y necesidades regionales",
        description="Cursos pensados para la realidad productiva de cada región.",
        motifs=[
            M(
                [
                    "Cursos de {oficio} según lo que pide el mercado de {region}",
                    "Que la oferta de cursos se decida en la región",
                    "Oferta de cursos distinta para el norte y el sur",
                ],
                [
                    "Los cursos se diseñan en Santiago y no calzan con lo que necesita {region}.",
                    "En {comuna} se repiten los mismos cursos de siempre y nadie encuentra pega con eso.",
                ],
                [
                    "Propongo que el Consejo Regional defina cada año los cursos prioritarios con datos "
                    "del Observatorio Laboral.",
                    "Que la región decida qué cursos se compran, según su realidad productiva.",
                ],
            ),
            M(
                [
                    "Capacitación para la cadena de {sector}",
                    "Diagnóstico de brechas de capital humano en {sector}",
                    "Formación en {sector} para jóvenes de {comuna}",
                ],
                [
                    "Las empresas de {sector} traen trabajadores de afuera porque aquí no hay gente "
                    "formada."
                ],
                [
                    "Que las empresas de {sector} se comprometan a recibir a los egresados en práctica.",
                    "Que se haga un diagnóstico de qué perfiles faltan en {sector} y se abran cursos "
                    "para eso.",
                ],
            ),
            M(
                [
                    "Perfilar a las personas antes de asignarlas a un curso",
                    "Entrevista de perfil en la OMIL antes del curso",
                ],
                ["Se asigna a las personas a cualquier curso, sin mirar su experiencia."],
                ["Que antes de un curso se haga una entrevista de perfil en la OMIL."],
            ),
            M(
                [
                    "Menos cursos de computación básica y más de oficios que faltan",
                    "Cursos de {oficio}, que es lo que falta en {comuna}",
                ],
                ["Hay mucha oferta de cursos de gestión y poca de oficios técnicos."],
                ["Que se abran cursos de {oficio}, que es lo que más falta en {comuna}."],
            ),
            M(
                [
                    "Capacitación en {oficio} para temporeros en la temporada baja",
                    "Cursos en invierno para trabajadores agrícolas",
                ],
                ["Los temporeros quedan sin trabajo en invierno y no hay nada para ellos."],
                [
                    "Que la oferta se ajuste a la temporada: cursos en invierno para trabajadores "
                    "agrícolas."
                ],
            ),
            M(
                [
                    "Preguntar a las empresas de {comuna} qué trabajadores necesitan",
                    "Que el Observatorio Laboral defina los cursos prioritarios",
                ],
                ["Nadie les pregunta a las empresas chicas qué perfiles necesitan."],
                [
                    "Que el Observatorio Laboral haga una encuesta anual a las empresas de {comuna}.",
                    "Que la Estrategia Regional de Desarrollo oriente la planificación de la "
                    "capacitación.",
                ],
            ),
        ],
        details=[
            "La región conoce mejor que nadie sus necesidades.",
            "Así la capacitación se transforma en empleo.",
            "En la mesa de {sector} ya tienen estos datos levantados.",
            "No sirve capacitar en algo que no tiene demanda.",
        ],
        accept=[
            "encargar al Observatorio Laboral un listado de oficios prioritarios para {region} y "
            "usarlo en el plan de capacitación de {year}",
            "abrir un programa de {oficio} con prácticas en empresas de {sector}",
        ],
        partly=[
            "incluir la entrevista de perfil en las OMIL que tienen convenio con SENCE; en las "
            "demás se hará de forma gradual",
        ],
        reject=[
            "la oferta ya incluye cursos de {oficio} en la región; el consejo pidió difundirlos "
            "mejor en lugar de abrir un programa nuevo",
        ],
    ),
    Theme(
        slug="formacion-inclusiva",
        name="Formación permanente inclusiva (lengua de señas y otros)",
        description="Cursos accesibles para todas las personas.",
        motifs=[
            M(
                [
                    "Intérprete de lengua de señas en los cursos",
                    "Cursos accesibles para personas sordas",
                ],
                [
                    "Las personas sordas no pueden seguir un curso sin intérprete.",
                    "Mi hijo es sordo y quedó fuera de un curso de {oficio} porque no había intérprete.",
                ],
                [
                    "Propongo que todo curso con una persona sorda inscrita tenga intérprete pagado por "
                    "el programa."
                ],
            ),
            M(
                [
                    "Cursos de lengua de señas chilena para funcionarios",
                    "Relatores formados en inclusión",
                ],
                [
                    "Los relatores no saben cómo trabajar con personas con discapacidad.",
                    "En la oficina de SENCE nadie sabe lengua de señas.",
                ],
                [
                    "Que SENCE forme a relatores y funcionarios en inclusión y lengua de señas chilena."
                ],
            ),
            M(
                [
                    "Salas accesibles para personas en silla de ruedas",
                    "Accesibilidad universal en los lugares de capacitación",
                ],
                ["Muchas salas donde se hacen los cursos no tienen rampa ni baño accesible."],
                ["Que se exija accesibilidad universal a los lugares donde se dictan los cursos."],
            ),
            M(
                [
                    "Material accesible para personas ciegas",
                    "Videos con subtítulos y lengua de señas en la plataforma de SENCE",
                ],
                ["El material viene solo en papel o en PDF que no lee un lector de pantalla."],
                [
                    "Que los videos y la plataforma cumplan con accesibilidad (subtítulos, lectores de "
                    "pantalla)."
                ],
            ),
            M(
                [
                    "Capacitación en mapudungun y con pertinencia cultural",
                    "Cursos bilingües con facilitadores interculturales",
                ],
                ["Las comunidades mapuche piden cursos que respeten su forma de trabajar."],
                ["Que se hagan cursos bilingües con facilitadores interculturales."],
            ),
            M(
                [
                    "Cursos adaptados para {grupo}",
                    "Acompañamiento laboral después del curso para {grupo}",
                    "Cursos de {oficio} con apoyo para personas con discapacidad intelectual",
                ],
                [
                    "Para {grupo} los cursos normales no sirven si no hay apoyo.",
                    "La Ley de Inclusión Laboral obliga a contratar, pero no hay gente capacitada.",
                ],
                [
                    "Que haya cursos diseñados junto a organizaciones de {grupo}.",
                    "Que después del curso haya un acompañamiento en el puesto de trabajo.",
                ],
            ),
            M(
                ["Capacitación en español para personas migrantes", "Cursos de español laboral"],
                ["Hay personas migrantes con oficio que no encuentran trabajo por el idioma."],
                [
                    "Que se ofrezcan cursos de español orientados al trabajo para personas migrantes."
                ],
            ),
        ],
        details=[
            "La inclusión no puede ser un extra, tiene que estar desde el diseño.",
            "Nosotros como agrupación podemos ayudar a diseñarlo.",
            "Esto abre oportunidades a gente que hoy queda fuera de todo.",
            "Las empresas necesitan cumplir la cuota de la Ley 21.015.",
        ],
        accept=[
            "financiar intérprete de lengua de señas en todos los cursos con personas sordas "
            "inscritas desde {year}",
            "exigir accesibilidad universal en las bases de los cursos de la región",
        ],
        partly=[
            "formar en lengua de señas a los equipos de atención de SENCE en {region}; los cursos "
            "bilingües se pilotearán en una comuna",
        ],
        reject=[
            "ya existe un programa nacional para personas con discapacidad; el consejo pidió "
            "difundirlo entre las organizaciones de la región",
        ],
    ),
    Theme(
        slug="revisar-modelo",
        name="Revisar el modelo de capacitación",
        description="Cambiar cómo se diseña, compra y entrega la capacitación.",
        motifs=[
            M(
                [
                    "Revisar la franquicia tributaria",
                    "Que la capacitación de las pymes sea más simple de usar",
                ],
                ["La franquicia la usan sobre todo las empresas grandes; las pymes casi no."],
                [
                    "Propongo que la franquicia tributaria se focalice en pymes y en trabajadores de "
                    "menores ingresos."
                ],
            ),
            M(
                [
                    "Certificar competencias de quienes ya saben el oficio",
                    "Reconocer la experiencia de los maestros de {oficio}",
                ],
                ["Hay gente que sabe el oficio hace años y no tiene cómo demostrarlo."],
                [
                    "Que se certifiquen competencias con ChileValora antes de mandar a la gente a un "
                    "curso."
                ],
            ),
            M(
                [
                    "Cursos más cortos y certificables por módulos",
                    "Rutas formativas en vez de cursos sueltos",
                ],
                ["Los cursos sueltos no llevan a ninguna parte, uno hace uno y queda ahí."],
                ["Que los cursos se organicen en módulos que se puedan ir sumando."],
            ),
            M(
                [
                    "Formación dual: mitad en la empresa, mitad en el aula",
                    "Que el curso termine con una práctica pagada",
                    "Capacitación ligada a un empleo concreto",
                ],
                ["Muchos terminan el curso sin haber pisado nunca una empresa."],
                ["Que todo curso termine con una práctica en una empresa de la región."],
            ),
            M(
                [
                    "Menos licitaciones y más convenios con liceos técnicos",
                    "Revisar el modelo de compra de cursos para {comuna}",
                ],
                ["El proceso de licitación demora tanto que los cursos empiezan tarde."],
                ["Que se hagan convenios directos con liceos técnicos y CFT estatales."],
            ),
            M(
                [
                    "Que la región decida parte del presupuesto de capacitación",
                    "Descentralizar las decisiones de SENCE",
                ],
                ["El modelo está muy centralizado y la región no tiene voz."],
                ["Que la región decida parte del presupuesto de capacitación."],
            ),
        ],
        details=[
            "El modelo actual lleva muchos años sin cambios de fondo.",
            "Así se aprovecha mejor la plata.",
            "Es lo que se hace en otros países de la OCDE.",
        ],
        accept=[
            "pilotear en {year} una ruta formativa por módulos en {sector} con certificación de "
            "competencias",
        ],
        partly=[
            "promover la certificación de competencias con ChileValora; la reforma de la "
            "franquicia tributaria excede las atribuciones del consejo y se enviará al Consejo "
            "Nacional",
        ],
        reject=[
            "cambiar la franquicia tributaria requiere una ley; el consejo envió la propuesta al "
            "Consejo Nacional como insumo",
        ],
    ),
    Theme(
        slug="foros-virtuales",
        name="Foros virtuales y encuentros motivacionales",
        description="Participar sin tener que viajar; encuentros que motiven.",
        motifs=[
            M(
                [
                    "Foros virtuales para quienes no pueden ir a los diálogos",
                    "Un chat para mandar ideas al consejo",
                    "Foro en línea por comuna para seguir conversando",
                ],
                [
                    "Los diálogos son en horario laboral y mucha gente no puede ir.",
                    "Desde {comuna} es un viaje largo para participar dos horas.",
                    "Después del diálogo no hay cómo seguir la conversación.",
                ],
                [
                    "Propongo un foro virtual donde se puedan mandar ideas y ver en qué van.",
                    "Que las ideas se puedan mandar por Telegram o WhatsApp.",
                ],
            ),
            M(
                ["Transmitir los diálogos en vivo", "Diálogos también los sábados"],
                ["Hay agotamiento: siempre nos convocan a los mismos y a muchas instancias."],
                ["Que los diálogos se transmitan y se pueda opinar por chat."],
            ),
            M(
                [
                    "Encuentros motivacionales con egresados que encontraron trabajo",
                    "Encuentro anual de egresados de {region}",
                    "Mentorías entre egresados y personas que buscan trabajo",
                ],
                ["La gente se desmotiva cuando lleva meses buscando trabajo."],
                ["Que se hagan encuentros con egresados que cuenten su experiencia."],
            ),
            M(
                [
                    "Charlas de orientación laboral por videollamada",
                    "Grupo de WhatsApp de la OMIL para avisar cursos",
                ],
                ["La información de los cursos llega tarde o no llega."],
                [
                    "Que se ofrezcan charlas cortas de orientación en línea.",
                    "Que la OMIL tenga un canal de difusión por WhatsApp.",
                ],
            ),
        ],
        details=[
            "Así participa gente que nunca ha podido venir.",
            "Ver a otros que lo lograron motiva harto.",
            "Es barato y llega lejos.",
        ],
        accept=[
            "habilitar la participación por Telegram y WhatsApp en el foro regional y transmitir "
            "los próximos diálogos",
            "organizar en {year} un encuentro de egresados con testimonios y ferias de empleo",
        ],
        partly=[
            "transmitir los diálogos en vivo; los foros por comuna se evaluarán según la "
            "participación",
        ],
        reject=[
            "el consejo prefiere concentrar los esfuerzos en el foro regional ya habilitado, donde "
            "esta propuesta puede seguir conversándose",
        ],
    ),
    Theme(
        slug="uso-tecnologia",
        name="Uso de tecnología",
        description="Tecnología para capacitarse, postular y hacer seguimiento.",
        motifs=[
            M(
                [
                    "Postular a los cursos desde el celular",
                    "Plataforma que avise de cursos según mi perfil",
                ],
                [
                    "Para postular hay que usar una página que no funciona bien en el celular.",
                    "Nadie te avisa cuando se abre un curso que te interesa.",
                ],
                [
                    "Propongo que se pueda postular y hacer seguimiento desde el celular, incluso por "
                    "WhatsApp.",
                    "Que la plataforma avise por mensaje cuando abran cursos de mi interés.",
                ],
            ),
            M(
                [
                    "Cursos en línea con tutor para zonas alejadas",
                    "Conectividad en las sedes donde se hacen los cursos",
                    "Préstamo de computadores o tablets para los cursos en línea",
                ],
                [
                    "En {comuna} la señal de internet es mala y los cursos en línea se cortan.",
                    "Mucha gente no tiene computador en la casa.",
                ],
                [
                    "Que se presten tablets con datos a quienes hagan cursos en línea.",
                    "Que existan cursos híbridos: parte en línea y parte presencial.",
                ],
            ),
            M(
                [
                    "Capacitación en herramientas digitales para pymes de {comuna}",
                    "Enseñar a vender por internet",
                ],
                ["Las pymes de {comuna} no saben vender por internet."],
                ["Que haya cursos cortos de comercio electrónico para pymes y emprendedores."],
            ),
            M(
                ["Alfabetización digital para personas mayores"],
                ["Los adultos mayores quedan fuera porque todo es digital."],
                ["Que haya alfabetización digital en las juntas de vecinos."],
            ),
            M(
                [
                    "Simuladores para practicar {oficio}",
                    "Cursos de programación para jóvenes de {comuna}",
                ],
                ["Las máquinas para practicar son caras y hay pocas."],
                ["Que se usen simuladores para practicar {oficio} antes de la práctica."],
            ),
            M(
                [
                    "Certificados digitales con código verificable",
                    "Bolsa de empleo regional conectada con los cursos",
                ],
                ["Los certificados en papel se pierden y las empresas no pueden verificarlos."],
                ["Que los certificados sean digitales y se puedan verificar con un código."],
            ),
        ],
        details=[
            "La tecnología tiene que acercar, no dejar gente fuera.",
            "Hoy todo se hace por el teléfono.",
            "Esto ahorraría tiempo y plata en traslados.",
        ],
        accept=[
            "habilitar la postulación desde el celular y avisos por mensaje en el sistema regional "
            "durante {year}",
            "incluir préstamo de equipos con conexión en los cursos en línea de comunas rurales",
        ],
        partly=[
            "ofrecer cursos híbridos en {comuna}; el préstamo de equipos depende del presupuesto "
            "del próximo año",
        ],
        reject=[
            "la plataforma de postulación es nacional; el consejo derivó la sugerencia al equipo "
            "de tecnologías de SENCE",
        ],
    ),
    Theme(
        slug="empleabilidad",
        name="Empleabilidad más allá de la capacitación",
        description="Del curso al empleo: intermediación, orientación y apoyo.",
        motifs=[
            M(
                [
                    "Que el consejo trabaje la empleabilidad y no solo la capacitación",
                    "Un Consejo Regional de Empleabilidad",
                ],
                ["Terminar un curso no basta: falta el puente con el empleo."],
                [
                    "Propongo que el Consejo de Capacitación pase a ser de Empleabilidad, con "
                    "intermediación incluida."
                ],
            ),
            M(
                [
                    "Orientación laboral antes y después de cada curso",
                    "Apresto laboral: cómo hacer un currículum y enfrentar una entrevista",
                ],
                ["Quien sale de un curso no tiene a quién pedirle orientación."],
                ["Que cada curso incluya apresto laboral y contacto con empresas."],
            ),
            M(
                ["Fortalecer las OMIL de {region}", "Más profesionales en la OMIL de {comuna}"],
                ["Las OMIL tienen muy poco personal para la demanda que hay."],
                ["Que se refuercen las OMIL con más profesionales."],
            ),
            M(
                [
                    "Intermediación laboral con las empresas de {sector}",
                    "Bolsa de prácticas en empresas de {comuna}",
                    "Ferias de empleo al cierre de los cursos",
                ],
                ["Las empresas no conocen a los egresados de los cursos."],
                ["Que haya ferias de empleo al cierre de los cursos."],
            ),
            M(
                ["Apoyo para emprender después del curso"],
                ["Muchos quieren emprender pero no saben cómo formalizarse."],
                ["Que se conecte el curso con el capital semilla de SERCOTEC o FOSIS."],
            ),
            M(
                [
                    "Acompañamiento a {grupo} en los primeros meses de trabajo",
                    "Apoyo a la reinserción laboral de quienes cumplieron condena",
                ],
                ["Muchos pierden el trabajo en los primeros meses por falta de apoyo."],
                ["Que haya un tutor que acompañe los primeros tres meses en el trabajo."],
            ),
        ],
        details=[
            "Así se cierra el círculo entre capacitación y trabajo.",
            "Esto fue lo más repetido en nuestra mesa.",
        ],
        accept=[
            "incorporar apresto laboral y una feria de empleo al cierre de los cursos de la región "
            "desde {year}",
        ],
        partly=[
            "coordinar con las OMIL una ruta de intermediación; el aumento de personal municipal "
            "no depende del consejo",
        ],
        reject=[
            "el cambio de nombre y propósito del consejo requiere una modificación legal que ya "
            "está en discusión a nivel nacional",
        ],
    ),
    Theme(
        slug="estrategia-regional",
        name="Alineación con la Estrategia Regional de Desarrollo",
        description="Capacitación coherente con lo que la región planifica.",
        motifs=[
            M(
                [
                    "Que SENCE participe en la Estrategia Regional de Desarrollo",
                    "Coordinar a SENCE con el Gobierno Regional y CORFO",
                ],
                [
                    "SENCE no está en las instancias donde se define la estrategia regional.",
                    "No hay coordinación entre los programas de empleo de los distintos servicios.",
                ],
                [
                    "Propongo que el Director Regional de SENCE integre el comité de la Estrategia "
                    "Regional."
                ],
            ),
            M(
                [
                    "Plan de capital humano para {sector} en {region}",
                    "Formación para los proyectos de inversión que vienen a {region}",
                    "Que el Consejo Regional conozca la cartera de proyectos de la región",
                ],
                ["Llegan proyectos grandes a la región y la mano de obra viene de afuera."],
                [
                    "Que se arme un plan de capital humano con el Gobierno Regional para {sector}.",
                    "Que los grandes proyectos de inversión informen qué perfiles van a necesitar.",
                ],
            ),
            M(
                ["Una sola mesa de empleabilidad en la región"],
                ["Cada servicio convoca su propia mesa y al final vamos siempre los mismos."],
                ["Que haya una sola mesa regional de empleabilidad en vez de muchas."],
            ),
        ],
        details=[
            "Así no se pierde plata duplicando esfuerzos.",
            "La gente está cansada de tantas convocatorias.",
        ],
        accept=[
            "solicitar formalmente la participación de SENCE en el comité de la Estrategia "
            "Regional de Desarrollo y elaborar un plan de capital humano para {sector}",
        ],
        partly=[
            "coordinar una mesa única con el Gobierno Regional y la SEREMI del Trabajo; la "
            "participación en proyectos privados será voluntaria",
        ],
        reject=[
            "la coordinación interservicios ya se realiza en el Comité Regional de Fomento; el "
            "consejo pedirá que se informe de sus acuerdos",
        ],
    ),
]

# How an idea opens depends on how it arrived.
OPENERS = {
    "in_person": ["", "", "", "Mesa {mesa}: ", "Papelógrafo mesa {mesa}. "],
    "web": ["", "", "Propongo lo siguiente. ", "Buenas tardes. ", "Como {rol}, propongo: "],
    "telegram": ["hola! ", "hola, ", "buenas, ", "", "Hola, quería proponer algo. "],
    "whatsapp": [
        "Hola buenas tardes, ",
        "hola ",
        "Buenas! ",
        "",
        "Hola, les escribo por una idea. ",
    ],
}
CLOSERS = {
    "in_person": ["", "", "(transcrito por el equipo facilitador)"],
    "web": ["", "Saludos cordiales.", "Gracias por el espacio.", ""],
    "telegram": ["", "gracias!", "saludos", ""],
    "whatsapp": ["", "Muchas gracias", "gracias por escuchar", "🙏", ""],
}
ROLES = [
    "vecina de {comuna}",
    "dirigente de una organización",
    "trabajador de {sector}",
    "egresada de un curso de {oficio}",
    "emprendedor de {comuna}",
    "funcionaria de una OMIL",
]

NOT_ADMITTED = [
    "No se admite: la idea no corresponde al ámbito de SENCE (se refiere a {otro}). "
    "La enviamos como sugerencia al servicio que corresponde.",
    "No se admite porque no contiene una propuesta concreta. Te invitamos a reformularla "
    "indicando qué cambio propones.",
    "No se admite: incluye datos personales de terceros. Puedes enviarla de nuevo sin ellos.",
    "No se admite: es una consulta sobre un caso particular, no una propuesta. Escribe a la "
    "Dirección Regional de SENCE para que revisen tu caso.",
]
OTROS = [
    "la locomoción colectiva",
    "el Registro Social de Hogares",
    "la salud primaria",
    "las pensiones",
    "la seguridad en el barrio",
]

ROUTED = [
    "Derivada al {council} para su análisis.",
    "La idea pasa al {council}, que debe responder antes del plazo indicado.",
    "Derivada al {council}; se sumó a otras propuestas similares del diálogo.",
]
IN_REVIEW = [
    "El equipo de moderación está revisando la idea.",
    "En revisión: estamos agrupando ideas parecidas de la misma mesa.",
    "",
]
IMPLEMENTED = [
    "Implementada: la medida está funcionando desde {month} de {year}.",
    "Implementada en {month} de {year}. Gracias a quienes la propusieron y apoyaron.",
    "La Dirección Regional informa que la medida se implementó en {month} de {year} y se "
    "evaluará al cierre del año.",
]
ANSWER_INTRO = [
    "El {council} revisó esta idea en su sesión del {date} y acordó {action}.",
    "En su sesión del {date}, el {council} acordó {action}.",
]
ANSWER_OUTRO = {
    "answered_accepted": [
        "La Dirección Regional de SENCE informará los avances en la próxima sesión.",
        "Se dará cuenta pública de su cumplimiento en el encuentro de celebración.",
    ],
    "answered_partly": [
        "El consejo agradece la propuesta y seguirá informando.",
        "Se informarán los avances en la próxima sesión del consejo.",
    ],
    "answered_rejected": [
        "Agradecemos la propuesta: la conversación sigue abierta en el foro.",
        "El consejo valora la propuesta aunque no pueda acogerla en esta forma.",
    ],
}
MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
