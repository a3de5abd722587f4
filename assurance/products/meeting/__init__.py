"""The meeting room display's slides: ``slides`` (which slides, in what order, their headings) and ``content``
(what each slide shows). The agenda they follow is stored and edited in ``assurance.domain.commitments.agenda``."""
